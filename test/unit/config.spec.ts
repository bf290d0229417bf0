import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('has defaults for a newcomer: port 8080, embedded database, ./.berth', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: undefined, dataDir: '.berth', logLevel: 'info', logFormat: 'auto', workerReclaimIntervalMs: 10_000, encryptionKeys: [] });
  });

  it('renews cluster leases every second and lets them lapse after five, unless configured', () => {
    expect(loadConfig({})).toMatchObject({ replicaHeartbeatMs: 1000, clusterLeaseTtlMs: 5000 });
    expect(loadConfig({ BERTH_REPLICA_HEARTBEAT_MS: '200', BERTH_CLUSTER_LEASE_TTL_MS: '600' })).toMatchObject({ replicaHeartbeatMs: 200, clusterLeaseTtlMs: 600 });
  });

  it('decides the embedded database\'s small pool and single worker itself, unless configured', () => {
    expect(loadConfig({})).toMatchObject({ databasePoolSize: 2, workerConcurrency: 1 });
    expect(loadConfig({ DATABASE_POOL_SIZE: '7', BERTH_WORKER_CONCURRENCY: '3' })).toMatchObject({ databasePoolSize: 7, workerConcurrency: 3 });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/berth' })).toMatchObject({ databasePoolSize: 10, workerConcurrency: 8 });
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgresql/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['BERTH_BOOTSTRAP_TOKEN', 'short', /BERTH_BOOTSTRAP_TOKEN must start with "berth_"/],
    ['BERTH_ENCRYPTION_KEY', 'dG9vLXNob3J0', /BERTH_ENCRYPTION_KEY must be base64 of 32/],
    ['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE must be between/],
    ['LOG_FORMAT', 'fancy', /LOG_FORMAT must be one of auto, json, pretty/],
    ['BERTH_WORKER_RECLAIM_INTERVAL_MS', '10', /BERTH_WORKER_RECLAIM_INTERVAL_MS must be between/],
    ['BERTH_REPLICA_HEARTBEAT_MS', '10', /BERTH_REPLICA_HEARTBEAT_MS must be between 100 and 60000/],
    ['BERTH_CLUSTER_LEASE_TTL_MS', '2000', /BERTH_CLUSTER_LEASE_TTL_MS must be at least 3 × BERTH_REPLICA_HEARTBEAT_MS \(3000\)/],
  ])('rejects %s=%s with an error naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts several encryption keys, newest first', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    expect(loadConfig({ BERTH_ENCRYPTION_KEY: `${a}, ${b}` }).encryptionKeys).toEqual([a, b]);
  });
});

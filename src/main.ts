// Berth's entry point: configuration, database (embedded when DATABASE_URL is unset), migrations,
// first-start admin, then the HTTP server.
import 'reflect-metadata';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from './common/crypto/key-file.js';
import { ConfigError, loadConfig } from './config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres.js';
import { Migrator } from './database/migrator.js';
import { AdminBootstrapService } from './modules/tokens/admin-bootstrap.service.js';
import { shutdown } from './lifecycle/shutdown.js';
import { createLogger, createServer } from './server.js';
import { SANDBOX_CLUSTER_NAME, startSandboxIfNoCluster } from './bootstrap/sandbox-cluster.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'pgdata');
    embedded = await startEmbeddedPostgres({ dataDir });
    databaseUrl = embedded.url;
    // PGlite runs one query at a time: many connections only queue behind each other (and stall
    // the job queue), so the embedded database gets a small pool and one worker unless configured.
    config = {
      ...config,
      databasePoolSize: process.env.DATABASE_POOL_SIZE ? config.databasePoolSize : 2,
      workerConcurrency: process.env.BERTH_WORKER_CONCURRENCY ? config.workerConcurrency : 1,
    };
    logger.info({ dataDir }, 'DATABASE_URL is not set: using the embedded PostgreSQL (for trying Berth out, not for production)');
  }

  const applied = await new Migrator({ databaseUrl }).deploy();
  if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');

  let encryptionKeys = config.encryptionKeys;
  if (encryptionKeys.length === 0) {
    const { key, created } = await loadOrCreateKeyFile(config.dataDir);
    encryptionKeys = [key];
    logger.warn({ created, dataDir: config.dataDir }, 'BERTH_ENCRYPTION_KEY is not set: using a key kept in the data folder; replicas sharing a database must share a configured key');
  }

  const server = await createServer({ config, databaseUrl, encryptionKeys, logger });
  const boot = await server.app.get(AdminBootstrapService).run(config.bootstrapEmail, config.bootstrapToken);
  if (boot.mintedToken) {
    // Printed once, to the terminal only: the token is stored hashed and cannot be shown again.
    process.stdout.write(
      `\n  Berth created the platform admin ${boot.email}.\n  Its API token (shown once, keep it safe):\n\n    ${boot.mintedToken}\n\n`,
    );
  }
  const sandbox = config.sandboxWhenEmpty ? await startSandboxIfNoCluster(server.app, config.dataDir) : undefined;
  if (sandbox) {
    logger.warn({ cluster: SANDBOX_CLUSTER_NAME, url: sandbox.url, kubeconfig: sandbox.kubeconfigPath }, 'no cluster is registered: started a SANDBOX cluster (a simulation, not a real cluster); try kubectl --kubeconfig on it');
  }
  await server.app.listen({ port: config.port, host: config.host });
  logger.info({ port: config.port }, `Berth is listening on http://localhost:${config.port} (API docs at /docs)`);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // A second signal: the operator does not want to wait for the drain.
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    void shutdown(server, { timeoutMs: config.shutdownTimeoutMs, logger, reason: signal })
      .then(async (result) => {
        await sandbox?.stop();
        await embedded?.stop();
        process.exit(result.timedOut ? 1 : 0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

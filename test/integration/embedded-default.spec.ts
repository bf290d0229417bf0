// Berth on its embedded default (PGlite behind the wire server) behaves like a real installation:
// GraphQL subscriptions hear committed changes, and the job worker runs deploys.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { Migrator } from '../../src/database/migrator.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { newApp, newTeam } from '../support/factories.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { subscribe, wsClient } from './graphql-client.js';

describe('the embedded default', () => {
  let embedded: EmbeddedPostgres;
  let app: TestApp;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: undefined });
    await new Migrator({ databaseUrl: embedded.url }).deploy();
    // As main.ts configures the embedded database: a small pool and one worker.
    app = await createTestApp({ databaseUrl: embedded.url, env: { DATABASE_POOL_SIZE: '2', BERTH_WORKER_CONCURRENCY: '1', BERTH_RESYNC_INTERVAL_MS: '3600000' } });
  });

  afterAll(async () => {
    await app.close();
    await embedded.stop();
  });

  it('delivers GraphQL subscription events (LISTEN/NOTIFY through the embedded server)', async () => {
    const team = await newTeam(app);
    const client = wsClient(app.url, team.owner.token);
    const sub = subscribe<{ auditEvents: { action: string; target: { name: string } } }>(client, 'subscription($team: String!) { auditEvents(team: $team) { action target { name } } }', { team: team.name });
    try {
      // The subscription is set up asynchronously: change something until one event arrives.
      await eventually(async () => {
        if (sub.errors.length) throw new Error(JSON.stringify(sub.errors));
        if (sub.values.length) return true;
        await newApp(app, { team });
        await sub.waitFor(() => sub.values.length > 0, 500).catch(() => undefined);
        return sub.values.length ? true : undefined;
      }, 'an audit event by subscription', 5, 0);
      expect(sub.errors).toEqual([]);
      expect(sub.values.find((v) => v.auditEvents.action === 'app.create')?.auditEvents.target.name).toMatch(/\S/);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('runs many jobs with large payloads while requests come in, and its worker stays up', async () => {
    // The worker crash seen on the embedded default ("Unsupported task 'undefined' … invalid
    // input syntax for type bigint") came from another connection's statement running between
    // the worker's Parse and Bind; large payloads arrive in several chunks and widen that window.
    const queue = app.server.app.get(WorkQueueService);
    await queue.stop();
    const done = new Set<number>();
    queue.register('test_echo', async (payload) => {
      done.add(Number(payload.n));
    });
    await queue.start();
    const pool = new pg.Pool({ connectionString: embedded.url, max: 3 });
    try {
      const filler = 'y'.repeat(200_000);
      await Promise.all([
        ...Array.from({ length: 40 }, (_, n) => pool.query("SELECT graphile_worker.add_job('test_echo', $1::json)", [JSON.stringify({ n, filler })])),
        ...Array.from({ length: 20 }, () => app.admin.get('/v1/teams')),
      ]);
      await eventually(async () => (done.size === 40 ? true : undefined), 'every job to run', 300, 100);
      expect(queue.health()).toBeUndefined();
      expect((await app.anonymous.get('/readyz')).status).toBe(200);
    } finally {
      await pool.end();
    }
  });
});

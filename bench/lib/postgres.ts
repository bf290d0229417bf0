// The bench's PostgreSQL: BERTH_BENCH_DATABASE_URL when set, otherwise a real server started from
// Debian's binaries exactly as the tests start one (test/support/postgres-server.mjs, reused).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Migrator } from '../../src/database/migrator.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';

type PostgresModule = typeof import('../../test/support/postgres-server.mjs');

const TEMPLATE = 'berth_bench_template';

/** The repository root (holds package.json), from bench/lib or dist/bench/lib. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the bench');
    dir = up;
  }
  return dir;
}

async function postgresModule(): Promise<PostgresModule> {
  return (await import(pathToFileURL(join(repoRoot(), 'test/support/postgres-server.mjs')).href)) as PostgresModule;
}

export interface BenchPostgres {
  adminUrl: string;
  /** A fresh database holding every migration and graphile-worker's schema. */
  createDatabase(prefix: string): Promise<BenchDatabase>;
  stop(): Promise<void>;
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const mod = await postgresModule();
  const given = process.env.BERTH_BENCH_DATABASE_URL;
  const server = given ? undefined : await mod.startPostgresServer();
  const adminUrl = given ?? server!.adminUrl;
  await mod.adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  await mod.adminQuery(adminUrl, `CREATE DATABASE ${TEMPLATE}`);
  const templateUrl = mod.databaseUrl(adminUrl, TEMPLATE);
  await new Migrator({ databaseUrl: templateUrl }).deploy();
  await WorkQueueService.migrate(templateUrl);
  const created: string[] = [];
  return {
    adminUrl,
    async createDatabase(prefix: string) {
      const name = `bench_${prefix}_${randomBytes(4).toString('hex')}`;
      await mod.adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
      created.push(name);
      const url = mod.databaseUrl(adminUrl, name);
      return {
        name,
        url,
        drop: async () => {
          await closePool(url);
          await mod.adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    async stop() {
      await Promise.all([...pools.keys()].map(closePool));
      if (server) return server.stop();
      for (const name of created) await mod.adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await mod.adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    },
  };
}

/**
 * The load generator's own connections, kept open per database: the rows poll sync state every
 * 5 ms and look up generations per request, and a new connection per query made PostgreSQL start
 * a backend each time (~50 ms of fork and authentication on this gVisor machine), on the cores the
 * measured Berth shares, and limited the poll to one answer per connection set-up.
 */
const pools = new Map<string, pg.Pool>();

function poolFor(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000 });
    // A database dropped under an idle connection (DROP … WITH (FORCE)) is not the bench's fault.
    pool.on('error', () => undefined);
    pools.set(url, pool);
  }
  return pool;
}

async function closePool(url: string): Promise<void> {
  const pool = pools.get(url);
  pools.delete(url);
  await pool?.end().catch(() => undefined);
}

/** SQL against a bench database, on the load generator's pooled connections. */
export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  return (await poolFor(url).query<T>(text, values)).rows;
}

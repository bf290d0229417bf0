import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminQuery, databaseUrl } from './postgres-server.mjs';

const TEMPLATE_DB = 'berth_test_template';

export function testAdminUrl(): string {
  const url = process.env.BERTH_TEST_DATABASE_URL;
  if (!url) throw new Error('BERTH_TEST_DATABASE_URL is not set: run the tests through jest (global setup starts Postgres)');
  return url;
}

/** A new database holding every migration, for one test file (or one test). */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `berth_t_${randomBytes(6).toString('hex')}`;
  const admin = testAdminUrl();
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  return {
    name,
    url: databaseUrl(admin, name),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** An empty database (no migrations), e.g. for migration tests. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `berth_e_${randomBytes(6).toString('hex')}`;
  const admin = testAdminUrl();
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  return { name, url: databaseUrl(admin, name), drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Runs raw SQL against a test database, to check what is really stored. */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

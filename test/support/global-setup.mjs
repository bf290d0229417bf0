// Starts (or reuses) a PostgreSQL server and prepares a template database holding every
// migration, so each test file gets a fresh database by copying the template in milliseconds.
// Uses the built migrator (npm test builds first): Jest loads this file outside its transform.
import { adminQuery, databaseUrl, startPostgresServer } from './postgres-server.mjs';

export const TEMPLATE_DB = 'berth_test_template';

export default async function globalSetup() {
  let adminUrl = process.env.BERTH_TEST_DATABASE_URL;
  if (!adminUrl) {
    const server = await startPostgresServer();
    globalThis.__BERTH_PG__ = server;
    adminUrl = server.adminUrl;
    process.env.BERTH_TEST_DATABASE_URL = adminUrl;
  }
  const { Migrator } = await import('../../dist/src/database/migrator.js');
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${TEMPLATE_DB}`);
  await new Migrator({ databaseUrl: databaseUrl(adminUrl, TEMPLATE_DB) }).deploy();
}

import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Migrator } from '../../src/database/migrator.js';
import { createEmptyDatabase, sql } from '../support/database.js';

const PG_DUMP = `${process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'}/pg_dump`;

describe('migrations', () => {
  const dbs: Array<{ url: string; drop(): Promise<void> }> = [];
  let target: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    target = await createEmptyDatabase();
    dbs.push(target);
  });
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('applies every migration in order, records them as prisma migrate does, and is idempotent', async () => {
    const names = (await readdir('prisma/migrations', { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const migrator = new Migrator({ databaseUrl: target.url });
    expect(await migrator.deploy()).toEqual(names);
    const rows = await sql<{ migration_name: string; finished_at: Date | null }>(target.url, 'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(await migrator.deploy()).toEqual([]);
  });

  it('yields exactly schema.prisma: a database built from the migrations equals one built from the schema', async () => {
    // The Wasm engine cannot introspect a live database through the pg adapter, so compare the two
    // databases with pg_dump: one from the migration history, one from schema.prisma's own SQL.
    const fromSchema = await createEmptyDatabase();
    dbs.push(fromSchema);
    const migrator = new Migrator({ databaseUrl: fromSchema.url });
    const schemaSql = await migrator.diffScript({ tag: 'empty' }, { tag: 'schemaDatamodel', files: [{ path: migrator.schemaPath, content: await migrator.schemaText() }] });
    await sql(fromSchema.url, schemaSql);
    expect(dumpSchema(target.url)).toEqual(dumpSchema(fromSchema.url));
  });

  it('notices drift: a schema with an extra column does not match the migrations', async () => {
    const drifted = await createEmptyDatabase();
    dbs.push(drifted);
    const migrator = new Migrator({ databaseUrl: drifted.url });
    const text = (await migrator.schemaText()).replace('model Team {', 'model Team {\n  motto String?');
    await sql(drifted.url, await migrator.diffScript({ tag: 'empty' }, { tag: 'schemaDatamodel', files: [{ path: migrator.schemaPath, content: text }] }));
    expect(dumpSchema(target.url)).not.toEqual(dumpSchema(drifted.url));
  });
});

/**
 * The schema as pg_dump prints it, without what schema.prisma cannot express and the migrations
 * add by hand (the audit log's append-only trigger and its function), which is tested on its own.
 */
function dumpSchema(url: string): string[] {
  const dump = execFileSync(PG_DUMP, ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=_prisma_migrations', url], { encoding: 'utf8' });
  const withoutFunctions = dump.replace(/CREATE FUNCTION [\s\S]*?\$\$;\n/g, '').replace(/^CREATE TRIGGER .*$/gm, '');
  const lines = withoutFunctions
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--') && !line.startsWith('SET ') && !/^\\(un)?restrict /.test(line) && !line.startsWith('SELECT pg_catalog.set_config'))
    .map((line) => line.replace(/\s+$/, ''));
  // Column order is not part of the schema: migrations append columns that schema.prisma lists in
  // the middle. Compare each table's columns as a set.
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    out.push(lines[i]!);
    if (!lines[i]!.startsWith('CREATE TABLE')) continue;
    const columns: string[] = [];
    while (i + 1 < lines.length && lines[i + 1] !== ');') columns.push(lines[++i]!.replace(/,$/, ''));
    out.push(...columns.sort());
  }
  return out;
}

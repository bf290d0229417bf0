// `npm run db:migrate` applies pending migrations; `npm run db:migration -- <name>` writes a new
// migration from the difference between the migration history and prisma/schema.prisma.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { Migrator } from './migrator.js';

async function main(): Promise<void> {
  const [command = 'deploy', name] = process.argv.slice(2);
  if (command === 'deploy') {
    // The database Berth itself would use: DATABASE_URL, or the embedded one under BERTH_DATA_DIR.
    const { databaseUrl: url, dataDir } = loadConfig();
    const embedded = url ? undefined : await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata') });
    try {
      const applied = await new Migrator({ databaseUrl: url ?? embedded!.url }).deploy();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await embedded?.stop();
    }
    return;
  }
  if (command === 'create') {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: migrate.cli.js create <snake_case_name> [git revision, default HEAD]');
    // The migrations always equal the committed schema (test/integration/migrations.spec.ts proves
    // it), so the new migration is the diff from the committed schema.prisma to the working one.
    // (The Wasm engine cannot replay the history on a shadow database: it fails to introspect it.)
    const revision = process.argv[4] ?? 'HEAD';
    // The engine wants a connection even for a schema-to-schema diff; an in-memory one will do.
    const scratch = await startEmbeddedPostgres({ dataDir: undefined });
    const migrator = new Migrator({ databaseUrl: scratch.url });
    const committed = execFileSync('git', ['show', `${revision}:prisma/schema.prisma`], { encoding: 'utf8' });
    const sql = await migrator.diffScript(
      { tag: 'schemaDatamodel', files: [{ path: migrator.schemaPath, content: committed }] },
      { tag: 'schemaDatamodel', files: [{ path: migrator.schemaPath, content: await migrator.schemaText() }] },
    );
    await scratch.stop();
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
      console.log(`schema.prisma matches ${revision}: nothing to do`);
      return;
    }
    const list = await migrator.migrationsList();
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(list.baseDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'migration.sql'), sql);
    console.log(`wrote ${dir}/migration.sql`);
    return;
  }
  throw new Error(`unknown command ${command}: use deploy or create <name>`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

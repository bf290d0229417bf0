// Applies prisma/migrations with Prisma's own schema engine, compiled to Wasm, so no native
// engine has to be downloaded. The engine records what it applies in `_prisma_migrations`
// exactly as `prisma migrate deploy` does, so both tools see the same history.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffTarget, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

export interface MigratorOptions {
  databaseUrl: string;
  /** Only needed by `diff` from migrations: an empty database the engine may wipe. */
  shadowDatabaseUrl?: string;
  prismaDir?: string;
  log?: (line: string) => void;
}

export function defaultPrismaDir(): string {
  // Works from src/ (tests) and dist/src/ (built): walk up to the folder holding package.json.
  let dir = dirname(new URL(import.meta.url).pathname);
  for (let i = 0; i < 6; i += 1) {
    try {
      require.resolve(join(dir, 'package.json'));
      return join(dir, 'prisma');
    } catch {
      dir = dirname(dir);
    }
  }
  return resolve('prisma');
}

type EngineModule = typeof import('@prisma/schema-engine-wasm');
type WasmExports = Record<string, unknown>;
// Node has WebAssembly; the ES2023 lib this project compiles against does not declare it.
const wasmRuntime = (globalThis as unknown as {
  WebAssembly: {
    compile(bytes: Uint8Array): Promise<object>;
    instantiate(module: object, imports: Record<string, unknown>): Promise<{ exports: WasmExports }>;
  };
}).WebAssembly;
let wasmReady: Promise<EngineModule> | undefined;

// The package's main entry imports the .wasm file as an ES module, which Node cannot do;
// its `_bg` half holds the same classes and takes the instance by hand.
async function loadEngineModule(): Promise<EngineModule> {
  wasmReady ??= (async () => {
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as EngineModule & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const module = await wasmRuntime.compile(await readFile(wasmPath));
    const instance = await wasmRuntime.instantiate(module, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
    return bg;
  })();
  return wasmReady;
}

export class Migrator {
  private readonly prismaDir: string;

  constructor(private readonly options: MigratorOptions) {
    this.prismaDir = options.prismaDir ?? defaultPrismaDir();
  }

  get schemaPath(): string {
    return join(this.prismaDir, 'schema.prisma');
  }

  async schemaText(): Promise<string> {
    return readFile(this.schemaPath, 'utf8');
  }

  async migrationsList(): Promise<MigrationList> {
    const baseDir = join(this.prismaDir, 'migrations');
    const entries = (await readdir(baseDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const lockPath = join(baseDir, 'migration_lock.toml');
    const lock = await readFile(lockPath, 'utf8').catch(() => null);
    return {
      baseDir,
      lockfile: { path: 'migration_lock.toml', content: lock },
      shadowDbInitScript: '',
      migrationDirectories: await Promise.all(
        entries.map(async (name) => ({
          path: name,
          migrationFile: {
            path: 'migration.sql',
            content: await readFile(join(baseDir, name, 'migration.sql'), 'utf8').then(
              (sql) => ({ tag: 'ok' as const, value: sql }),
              (err: Error) => ({ tag: 'error' as const, value: err.message }),
            ),
          },
        })),
      ),
    };
  }

  /** Applies every pending migration; returns the names applied now. */
  async deploy(): Promise<string[]> {
    // Most starts have nothing to apply: check the history first and skip loading the Wasm
    // engine (a noticeable part of a restart) when every migration is applied unchanged.
    if (await this.upToDate().catch(() => false)) return [];
    return this.withEngine(async (engine) => {
      const out = await engine.applyMigrations({
        migrationsList: await this.migrationsList(),
        filters: { externalTables: [], externalEnums: [] },
      });
      return out.appliedMigrationNames;
    });
  }

  /** True when `_prisma_migrations` records every migration directory as applied, with the same checksum. */
  private async upToDate(): Promise<boolean> {
    const list = await this.migrationsList();
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      return list.migrationDirectories.every((dir) => {
        const file = dir.migrationFile.content;
        return file.tag === 'ok' && applied.get(dir.path) === createHash('sha256').update(file.value).digest('hex');
      });
    } finally {
      await client.end();
    }
  }

  /** SQL that turns `from` into `to`; empty when they are the same schema. */
  async diffScript(from: DiffTarget, to: DiffTarget): Promise<string> {
    return this.withEngine(async (engine) => {
      const result = await engine.diff({ from, to, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
      return (result as { stdout?: string }).stdout ?? '';
    });
  }

  private async withEngine<T>(fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
    const { SchemaEngine } = await loadEngineModule();
    const pg = new PrismaPg({ connectionString: this.options.databaseUrl, max: 1 });
    const shadow = this.options.shadowDatabaseUrl ? new PrismaPg({ connectionString: this.options.shadowDatabaseUrl, max: 1 }) : pg;
    const opened: Array<{ dispose(): Promise<void> }> = [];
    const track = async <A extends { dispose(): Promise<void> }>(adapter: Promise<A>) => {
      const a = await adapter;
      opened.push(a);
      return a;
    };
    // The engine calls these without `this`, so hand it plain closures.
    const factory = bindMigrationAwareSqlAdapterFactory({
      provider: pg.provider,
      adapterName: pg.adapterName,
      connect: () => track(pg.connect()),
      connectToShadowDb: () => track(shadow.connect()),
    });
    const log = this.options.log ?? (() => undefined);
    const engine = await SchemaEngine.new({ datamodels: [[this.schemaPath, await this.schemaText()]] }, (line: string) => log(line), factory);
    try {
      return await fn(engine);
    } finally {
      engine.free();
      // Close the pools, or the database stays "in use" (a template cannot be copied then).
      await Promise.all(opened.map((a) => a.dispose().catch(() => undefined)));
    }
  }
}

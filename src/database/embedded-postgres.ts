// A PostgreSQL for newcomers: PGlite (Postgres compiled to Wasm) served over the wire protocol on
// loopback, so Prisma, the migrator and the job queue talk to it exactly as to a real server
// (pglite-wire-server.ts says why this is not @electric-sql/pglite-socket).
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PgliteWireServer } from './pglite-wire-server.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the data files; undefined keeps everything in memory. */
  dataDir: string | undefined;
  port?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PgliteWireServer(db);
  const port = await server.listen('127.0.0.1', options.port ?? 0);
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

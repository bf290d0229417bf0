// `npm run graphql:schema` writes the GraphQL schema to docs/schema.graphql. The copy is committed
// and a test fails when the served schema differs from it.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { loadConfig } from './config/config.js';
import { schemaSdl } from './graphql/schema-sdl.js';
import { createServer } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', BERTH_WORKERS_ENABLED: 'false' });
  // Building the schema needs the application graph, not a database: Prisma connects lazily.
  const server = await createServer({ config, databaseUrl: 'postgresql://unused@127.0.0.1:1/unused', encryptionKeys: [Buffer.alloc(32).toString('base64')] });
  await writeFile(process.argv[2] ?? 'docs/schema.graphql', schemaSdl(server.app));
  await server.app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// `npm run openapi` writes the OpenAPI document to docs/openapi.json. The copy is committed and a
// test fails when the API changes without it, so reviewers see every API change as a diff.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { loadConfig } from './config/config.js';
import { createServer } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', BERTH_WORKERS_ENABLED: 'false' });
  // Building the document needs the application graph, not a database: Prisma connects lazily.
  const server = await createServer({ config, databaseUrl: 'postgresql://unused@127.0.0.1:1/unused', encryptionKeys: [Buffer.alloc(32).toString('base64')] });
  await writeFile(process.argv[2] ?? 'docs/openapi.json', JSON.stringify(server.openApi, null, 2) + '\n');
  await server.app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// `npm run keys:rotate`: re-wraps every stored secret with the first key in BERTH_ENCRYPTION_KEY.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config.js';
import { KeyRotationService } from './modules/key-rotation/key-rotation.service.js';
import { createServer } from './server.js';

async function main(): Promise<void> {
  // A one-off tool: it runs no background workers.
  const config = { ...loadConfig(), workersEnabled: false };
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'must name the database whose secrets to rotate');
  if (config.encryptionKeys.length === 0) throw new ConfigError('BERTH_ENCRYPTION_KEY', 'must list the new key first, then the old ones');
  const server = await createServer({ config, databaseUrl: config.databaseUrl, encryptionKeys: config.encryptionKeys });
  try {
    const report = await server.app.get(KeyRotationService).rotate();
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

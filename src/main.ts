// Berth's entry point: configuration, database (embedded when DATABASE_URL is unset), migrations,
// first-start admin, then the HTTP server.
import 'reflect-metadata';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from './common/crypto/key-file.js';
import { ConfigError, loadConfig } from './config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres.js';
import { Migrator } from './database/migrator.js';
import { AdminBootstrapService } from './modules/tokens/admin-bootstrap.service.js';
import { createLogger, createServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'pgdata');
    embedded = await startEmbeddedPostgres({ dataDir });
    databaseUrl = embedded.url;
    logger.info({ dataDir }, 'DATABASE_URL is not set: using the embedded PostgreSQL (for trying Berth out, not for production)');
  }

  const applied = await new Migrator({ databaseUrl }).deploy();
  if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');

  let encryptionKeys = config.encryptionKeys;
  if (encryptionKeys.length === 0) {
    const { key, created } = await loadOrCreateKeyFile(config.dataDir);
    encryptionKeys = [key];
    logger.warn({ created, dataDir: config.dataDir }, 'BERTH_ENCRYPTION_KEY is not set: using a key kept in the data folder; replicas sharing a database must share a configured key');
  }

  const server = await createServer({ config, databaseUrl, encryptionKeys, logger });
  const boot = await server.app.get(AdminBootstrapService).run(config.bootstrapEmail, config.bootstrapToken);
  if (boot.mintedToken) {
    // Printed once, to the terminal only: the token is stored hashed and cannot be shown again.
    process.stdout.write(
      `\n  Berth created the platform admin ${boot.email}.\n  Its API token (shown once, keep it safe):\n\n    ${boot.mintedToken}\n\n`,
    );
  }
  await server.app.listen({ port: config.port, host: config.host });
  logger.info({ port: config.port }, `Berth is listening on http://localhost:${config.port} (API docs at /docs)`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

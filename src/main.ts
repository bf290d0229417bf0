// Berth's entry point: configuration, database (embedded when DATABASE_URL is unset), migrations,
// first-start admin, then the HTTP server.
import 'reflect-metadata';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from './common/crypto/key-file.js';
import { ConfigError, loadConfig } from './config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres.js';
import { Migrator } from './database/migrator.js';
import { createLogger } from './common/logging/logger.js';

/** The application's modules, loaded while the database starts (see main). */
function loadApplication() {
  return Promise.all([
    import('./server.js'),
    import('./modules/tokens/admin-bootstrap.service.js'),
    import('./modules/workloads/workloads.service.js'),
    import('./bootstrap/sandbox-cluster.js'),
    import('./lifecycle/shutdown.js'),
  ]);
}

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
  const logger = createLogger(config.logLevel, config.logFormat);
  // Loading the application (Nest, Apollo, Prisma, client-node) takes a while: let it overlap
  // with starting the embedded database and applying migrations.
  const loading = loadApplication();
  loading.catch(() => undefined);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'pgdata');
    embedded = await startEmbeddedPostgres({ dataDir });
    databaseUrl = embedded.url;
    logger.info({ dataDir, atMs: Math.round(performance.now()) }, 'DATABASE_URL is not set: using the embedded PostgreSQL (for trying Berth out, not for production)');
  }

  const applied = await new Migrator({ databaseUrl }).deploy();
  if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');

  let encryptionKeys = config.encryptionKeys;
  if (encryptionKeys.length === 0) {
    const { key, created } = await loadOrCreateKeyFile(config.dataDir);
    encryptionKeys = [key];
    logger.warn({ created, dataDir: config.dataDir }, 'BERTH_ENCRYPTION_KEY is not set: using a key kept in the data folder; replicas sharing a database must share a configured key');
  }

  const [{ createServer }, { AdminBootstrapService }, { WorkloadsService }, { SANDBOX_CLUSTER_NAME, startSandboxIfNoCluster }, { shutdown }] = await loading;
  logger.debug({ atMs: Math.round(performance.now()) }, 'application loaded');
  const server = await createServer({ config, databaseUrl, encryptionKeys, logger });
  logger.debug({ atMs: Math.round(performance.now()) }, 'application created');
  const boot = await server.app.get(AdminBootstrapService).run(config.bootstrapEmail, config.bootstrapToken);
  const sandbox = config.sandboxWhenEmpty ? await startSandboxIfNoCluster(server.app, config.dataDir) : undefined;
  if (sandbox) {
    logger.warn({ cluster: SANDBOX_CLUSTER_NAME, url: sandbox.url, kubeconfig: sandbox.kubeconfigPath }, 'no cluster is registered: started a SANDBOX cluster (a simulation, not a real cluster); try kubectl --kubeconfig on it');
  }
  // Status recorded before a restart may no longer be true (a cluster restarted, objects deleted
  // meanwhile): compare every environment with its cluster now rather than at the first resync.
  if (config.workersEnabled) await server.app.get(WorkloadsService).resyncAll();
  await server.app.listen({ port: config.port, host: config.host });
  const address = server.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const everywhere = config.host === '0.0.0.0' || config.host === '::';
  const url = `http://${everywhere || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
  logger.info({ host: config.host, port, startedInMs: Math.round(performance.now()) }, `Berth is listening on ${url}${everywhere ? ' (all interfaces)' : ''}; API docs at ${url}/docs`);
  if (boot.mintedToken) {
    // Printed once, to the terminal only (the token is stored hashed and cannot be shown again),
    // and last, so it is not lost among the start-up lines.
    process.stdout.write(
      `\n  Berth created the platform admin ${boot.email}.\n  Its API token (shown once, keep it safe):\n\n    ${boot.mintedToken}\n\n`,
    );
  }

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // A second signal: the operator does not want to wait for the drain.
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    void shutdown(server, { timeoutMs: config.shutdownTimeoutMs, logger, reason: signal })
      .then(async (result) => {
        await sandbox?.stop();
        await embedded?.stop();
        process.exit(result.timedOut ? 1 : 0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Starts a whole Berth (Nest on Fastify, real Postgres, real HTTP on a free port) for a test file.
import { randomBytes } from 'node:crypto';
import { loadConfig, type BerthConfig } from '../../src/config/config.js';
import { AdminBootstrapService } from '../../src/modules/tokens/admin-bootstrap.service.js';
import type { Logger as PinoLogger } from 'pino';
import { createLogger, createServer, type BerthServer } from '../../src/server.js';
import { createTestDatabase } from './database.js';
import { HttpClient } from './http.js';

export interface TestApp {
  server: BerthServer;
  url: string;
  databaseUrl: string;
  adminToken: string;
  /** Client authenticated as the platform admin. */
  admin: HttpClient;
  /** Client without credentials. */
  anonymous: HttpClient;
  close(): Promise<void>;
}

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse a database (several instances on one database). */
  databaseUrl?: string;
  /** Capture the structured logs (e.g. to check no secret is ever logged). */
  logger?: PinoLogger;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? db!.url;
  const adminToken = `berth_${randomBytes(24).toString('base64url')}`;
  const config: BerthConfig = loadConfig({
    LOG_LEVEL: process.env.BERTH_TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    BERTH_BOOTSTRAP_TOKEN: adminToken,
    PORT: '0',
    HOST: '127.0.0.1',
    ...options.env,
  });
  const server = await createServer({ config, databaseUrl, encryptionKeys: config.encryptionKeys, logger: options.logger ?? createLogger(config.logLevel) });
  await server.app.get(AdminBootstrapService).run(config.bootstrapEmail, adminToken);
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    server,
    url,
    databaseUrl,
    adminToken,
    admin: new HttpClient(url, adminToken),
    anonymous: new HttpClient(url),
    async close() {
      await server.close();
      await db?.drop();
    },
  };
}

// Builds the Nest application on Fastify. main.ts and the tests both start Berth through here.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DynamicModule, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module.js';
import scalarApiReference from '@scalar/fastify-api-reference';
import { createLogger } from './common/logging/logger.js';
import { PinoNestLogger } from './common/logging/pino-nest-logger.js';
import { installRequestContext } from './common/http/request-context.hooks.js';
import { installBodyParsing, problemClientErrorHandler, problemFrameworkErrors } from './common/http/body-parsing.js';
import { buildOpenApi, docsConfiguration } from './common/openapi/build-document.js';
import type { BerthConfig } from './config/config.js';
import { PrismaService } from './database/prisma.service.js';
import { instrumentHttp } from './common/metrics/http-metrics.js';
import { MetricsService } from './common/metrics/metrics.service.js';
import { installDrainHooks } from './lifecycle/drain-hooks.js';
import { installAccessBarrier } from './modules/auth/access-barrier.js';
import { AuthCache } from './modules/auth/auth-cache.js';
import { WorkQueueService } from './modules/work-queue/work-queue.service.js';

export interface ServerOptions {
  config: BerthConfig;
  databaseUrl: string;
  encryptionKeys: string[];
  logger?: PinoLogger;
  /**
   * Builds the Nest application from Berth's root module (default: NestFactory.create). The
   * benchmark passes one that substitutes providers (bench/lib/without-trust.ts); product code has
   * no switch for it.
   */
  createApp?: CreateApp;
}

export type CreateApp = (root: DynamicModule, adapter: FastifyAdapter, options: NestApplicationOptions) => Promise<NestFastifyApplication>;

const nestFactory: CreateApp = (root, adapter, options) => NestFactory.create<NestFastifyApplication>(root, adapter, options);

export interface BerthServer {
  app: NestFastifyApplication;
  prisma: PrismaService;
  logger: PinoLogger;
  openApi: OpenAPIObject;
  close(): Promise<void>;
}

export { createLogger };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createServer(options: ServerOptions): Promise<BerthServer> {
  const logger = options.logger ?? createLogger(options.config.logLevel);
  // The job queue's tables must exist before the first request can enqueue work.
  if (options.config.workersEnabled) await WorkQueueService.migrate(options.databaseUrl);
  const prisma = new PrismaService({ url: options.databaseUrl, poolSize: options.config.databasePoolSize });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: options.config.bodyLimitBytes,
    // Honour a caller's request id (portals correlate with it), else make one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // One hop: the address the nearest proxy saw, never one a client wrote into X-Forwarded-For.
    trustProxy: options.config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    clientErrorHandler: problemClientErrorHandler,
    frameworkErrors: problemFrameworkErrors,
  });
  const app = await (options.createApp ?? nestFactory)(AppModule.register({ config: options.config, prisma, databaseUrl: options.databaseUrl, encryptionKeys: options.encryptionKeys }), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // Berth registers its own (JSON-only) parsers: Nest's would add form-urlencoded.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Request id header, the request's context, answer headers (Link, ETag, Location).
  installRequestContext(fastify);
  // The API speaks JSON only (415 otherwise), bounded in depth, without NUL characters.
  installBodyParsing(fastify);
  instrumentHttp(fastify, app.get(MetricsService));
  // After its commit, a write that changed access answers once every replica's cache applied it.
  installAccessBarrier(fastify, app.get(AuthCache));
  installDrainHooks(fastify);
  const openApi = buildOpenApi(app);
  fastify.get('/openapi.json', { logLevel: 'warn' }, async (_request, reply) => reply.header('content-type', 'application/json').send(openApi));
  await fastify.register(scalarApiReference, { routePrefix: '/docs', configuration: docsConfiguration() });
  // No app.enableShutdownHooks(): Nest's own signal handler would run module destroy hooks before
  // in-flight requests finish and then re-raise the signal. main.ts calls lifecycle/shutdown.ts.
  await app.init();
  if (options.config.workersEnabled) await app.get(WorkQueueService).start();
  return {
    app,
    prisma,
    logger,
    openApi,
    async close() {
      await app.close();
      await prisma.close();
    },
  };
}

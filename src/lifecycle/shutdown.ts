// Berth's shutdown sequence, used by main.ts on SIGTERM/SIGINT and by tests on a test app:
//   1. readiness fails (/readyz 503), so load balancers stop routing here;
//   2. the HTTP server stops accepting connections; requests already in flight finish (answers
//      carry "Connection: close"; requests arriving on kept-alive connections get 503);
//   3. registered drainers run in order (work queue hand-back, …);
//   4. Nest's shutdown hooks run, then the database pool closes.
// Everything up to 3 is bounded by one deadline (BERTH_SHUTDOWN_TIMEOUT_MS); when it passes,
// remaining connections are cut and drainers are aborted, and the sequence still completes.
import type { Server } from 'node:http';
import type { Logger as PinoLogger } from 'pino';
import { HealthService } from '../modules/health/health.service.js';
import type { BerthServer } from '../server.js';
import { markDraining } from './drain-hooks.js';
import { ShutdownDrainers } from './drainers.js';

export interface ShutdownOptions {
  timeoutMs: number;
  logger?: Pick<PinoLogger, 'info' | 'warn' | 'error'>;
  /** What started the shutdown, for the logs. */
  reason?: string;
}

export interface ShutdownResult {
  /** True when the deadline passed and connections or drainers were cut short. */
  timedOut: boolean;
  /** Names of drainers that failed or were cut short. */
  failedDrainers: string[];
}

/** Time the final close gets when the deadline has already passed. */
const CLOSE_GRACE_MS = 1000;

const running = new WeakMap<BerthServer, Promise<ShutdownResult>>();

/** Idempotent: a second call (a second signal) gets the first call's promise. */
export function shutdown(server: BerthServer, options: ShutdownOptions): Promise<ShutdownResult> {
  let promise = running.get(server);
  if (!promise) {
    promise = runShutdown(server, options);
    running.set(server, promise);
  }
  return promise;
}

async function runShutdown(server: BerthServer, options: ShutdownOptions): Promise<ShutdownResult> {
  const log = options.logger ?? server.logger;
  const deadlineAt = Date.now() + options.timeoutMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`shutdown took longer than ${options.timeoutMs} ms`)), options.timeoutMs);
  timer.unref();
  const result: ShutdownResult = { timedOut: false, failedDrainers: [] };
  log.info({ reason: options.reason, timeoutMs: options.timeoutMs }, 'shutting down: not ready, draining in-flight requests');
  try {
    server.app.get(HealthService).markShuttingDown();

    // 2. HTTP: Fastify's close stops listening, closes idle keep-alive connections, answers new
    // requests on open connections with 503 and resolves once every connection has ended.
    const fastify = server.app.getHttpAdapter().getInstance();
    const http = server.app.getHttpServer() as Server;
    markDraining(fastify);
    const closed = fastify.close().then(
      () => undefined,
      (err: unknown) => log.warn({ err }, 'error while closing the HTTP server'),
    );
    if (!(await untilOrAborted(closed, deadline.signal))) {
      result.timedOut = true;
      log.warn('in-flight requests did not finish in time; closing their connections');
      http.closeAllConnections();
      await closed;
    }

    // 3. Drainers, in registration order, each with what is left of the deadline.
    for (const drainer of server.app.get(ShutdownDrainers).list()) {
      if (deadline.signal.aborted) {
        result.failedDrainers.push(drainer.name);
        continue;
      }
      const done = drainer.drain(deadline.signal).then(
        () => true,
        (err: unknown) => {
          log.error({ err, drainer: drainer.name }, 'drainer failed');
          return false;
        },
      );
      const finished = await untilOrAborted(done, deadline.signal);
      if (!finished || !(await done)) {
        result.failedDrainers.push(drainer.name);
        if (!finished) {
          result.timedOut = true;
          log.warn({ drainer: drainer.name }, 'drainer did not finish in time');
        }
      }
    }
  } finally {
    clearTimeout(timer);
    // 4. Nest hooks (timers, watchers), then the pool: nothing may need the database after this.
    // The pool waits for queries still running (e.g. of a request cut at the deadline); past the
    // deadline it gets CLOSE_GRACE_MS more, then the caller moves on (main.ts exits the process).
    const closing = server.close().catch((err: unknown) => log.error({ err }, 'error while closing the application'));
    const grace = new AbortController();
    const graceTimer = setTimeout(() => grace.abort(), Math.max(CLOSE_GRACE_MS, deadlineAt - Date.now()));
    graceTimer.unref();
    if (!(await untilOrAborted(closing, grace.signal))) {
      result.timedOut = true;
      log.warn('the application did not close in time (queries still running?); giving up on it');
    }
    clearTimeout(graceTimer);
  }
  log.info(result, 'shut down');
  return result;
}

/** Resolves true when `promise` settles first, false when `signal` aborts first. */
async function untilOrAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise.then(() => true as const), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

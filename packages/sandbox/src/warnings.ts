import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';

/**
 * Request-scoped `Warning` headers (RFC 7234 code 299, as the API server sends them): admission
 * plug-ins call `warn()` without knowing about HTTP. Controllers run outside any request scope
 * (see Controller.drain), so their writes never warn a client that happened to wake them.
 */
const scope = new AsyncLocalStorage<ServerResponse | undefined>();

export function withWarnings<T>(res: ServerResponse, fn: () => T): T {
  return scope.run(res, fn);
}

export function withoutWarnings<T>(fn: () => T): T {
  return scope.run(undefined, fn);
}

export function warn(text: string): void {
  const res = scope.getStore();
  if (!res || res.headersSent) return;
  // Go's warning.Recorder quotes like strconv.Quote; JSON string escaping matches it for ASCII.
  res.appendHeader('Warning', `299 - ${JSON.stringify(text.replace(/[^\x20-\x7e]/g, '?'))}`);
}

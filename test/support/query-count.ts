// Counts the SQL statements a request sends, and only that request's: Berth enters the request's
// context (its request id) before the handler runs (src/common/http/body-parsing.ts), and every
// query it causes runs in that async context; background work (job workers, probers, the token
// last-used write of an earlier request) runs in another and is not counted.
import pg from 'pg';
import { requestContext } from '../../src/common/context/request-context.js';

export function countQueriesOf(requestId: string, fn: () => Promise<unknown>, pattern: RegExp = /./): Promise<number> {
  return countQueries(fn, pattern, () => requestContext.get()?.requestId === requestId);
}

/** Counts the statements matching `pattern` sent while `fn` runs, of those `belongs` says are its own. */
export async function countQueries(fn: () => Promise<unknown>, pattern: RegExp = /./, belongs: () => boolean = () => true): Promise<number> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let count = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
    if (belongs() && pattern.test(text)) count++;
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return count;
}

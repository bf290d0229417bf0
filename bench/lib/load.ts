// HTTP load with autocannon (in a worker thread, so the generator does not share the event loop of
// servers started in this process), arms interleaved, median of three rounds after a warm-up.
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  durationS?: number;
  /** Requests each connection cycles through (static, so they can cross to the worker thread). */
  requests?: Array<{ method: string; path: string; body?: string; headers?: Record<string, string> }>;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
export const CONNECTIONS = 50;

export function load(spec: LoadSpec): Promise<LoadResult> {
  const opts: autocannon.Options = {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections ?? CONNECTIONS,
    duration: spec.durationS ?? DURATION_S,
    workers: 1,
    ...(spec.requests ? { requests: spec.requests as autocannon.Request[] } : {}),
  };
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => {
      if (err) return reject(err);
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts });
    });
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Rounds per arm (BENCH_ROUNDS, default 3). On a loaded shared machine more, shorter rounds (e.g.
 * BENCH_ROUNDS=7 BENCH_DURATION=2) let every arm see the same mix of quiet and busy moments.
 */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

/**
 * Runs every arm once as warm-up (short), then ROUNDS rounds; the order of arms alternates between
 * rounds so neither always runs first. Each metric is the median over rounds.
 */
export async function interleaved(arms: Record<string, LoadSpec>): Promise<Record<string, LoadResult & { rounds: LoadResult[] }>> {
  const names = Object.keys(arms);
  for (const name of names) await load({ ...arms[name]!, durationS: Math.max(1, Math.ceil(DURATION_S / 2)) });
  const rounds: Record<string, LoadResult[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) rounds[name]!.push(await load(arms[name]!));
  }
  const out: Record<string, LoadResult & { rounds: LoadResult[] }> = {};
  for (const name of names) {
    const r = rounds[name]!;
    out[name] = {
      rps: median(r.map((x) => x.rps)),
      p50: median(r.map((x) => x.p50)),
      p99: median(r.map((x) => x.p99)),
      non2xx: r.reduce((a, x) => a + x.non2xx, 0),
      errors: r.reduce((a, x) => a + x.errors, 0),
      rounds: r,
    };
  }
  return out;
}

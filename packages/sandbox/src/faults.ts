/** Fault settings that can be changed while the sandbox runs (in process or over HTTP). */
export interface FaultSettings {
  /** Added delay before every API request is answered. */
  latencyMs: number;
  /** Probability (0..1) that an API request fails with `errorStatus`. */
  errorRate: number;
  errorStatus: 500 | 503;
  /** When on, every API request gets 429 Too Many Requests with Retry-After. */
  throttle: boolean;
  retryAfterSeconds: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  throttle: false,
  retryAfterSeconds: 1,
};

/** Validate a partial fault update coming from JSON; throws with a readable message. */
export function parseFaultUpdate(body: unknown): Partial<FaultSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('fault settings must be a JSON object');
  const b = body as Record<string, unknown>;
  const out: Partial<FaultSettings> = {};
  const num = (k: string, min: number, max: number): number | undefined => {
    if (b[k] === undefined) return undefined;
    const v = b[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Error(`${k} must be a number between ${min} and ${max}`);
    return v;
  };
  const latency = num('latencyMs', 0, 600000);
  if (latency !== undefined) out.latencyMs = latency;
  const rate = num('errorRate', 0, 1);
  if (rate !== undefined) out.errorRate = rate;
  if (b['errorStatus'] !== undefined) {
    if (b['errorStatus'] !== 500 && b['errorStatus'] !== 503) throw new Error('errorStatus must be 500 or 503');
    out.errorStatus = b['errorStatus'];
  }
  if (b['throttle'] !== undefined) {
    if (typeof b['throttle'] !== 'boolean') throw new Error('throttle must be a boolean');
    out.throttle = b['throttle'];
  }
  const retry = num('retryAfterSeconds', 0, 3600);
  if (retry !== undefined) out.retryAfterSeconds = retry;
  for (const k of Object.keys(b)) {
    if (!['latencyMs', 'errorRate', 'errorStatus', 'throttle', 'retryAfterSeconds', 'down'].includes(k)) throw new Error(`unknown fault setting ${k}`);
  }
  return out;
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
export const MUTATING: ReadonlySet<Verb> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export interface VerbCounts {
  total: number;
  mutating: number;
  byVerb: Partial<Record<Verb, number>>;
}

export interface SandboxStats extends VerbCounts {
  /** Keyed by "configmaps", "deployments.apps", "deployments.apps/scale", "pods/log". */
  byResource: Record<string, VerbCounts>;
  /** Requests answered with an error status (4xx/5xx), injected faults included. */
  errors: number;
  since: string;
}

function emptyCounts(): VerbCounts {
  return { total: 0, mutating: 0, byVerb: {} };
}

/** Request counters by verb and resource, as Berth's tests and benchmarks read them. */
export class StatsCollector {
  private data: SandboxStats = { ...emptyCounts(), byResource: {}, errors: 0, since: new Date().toISOString() };

  record(verb: Verb, resource: string): void {
    const mutating = MUTATING.has(verb);
    const add = (c: VerbCounts): void => {
      c.total++;
      if (mutating) c.mutating++;
      c.byVerb[verb] = (c.byVerb[verb] ?? 0) + 1;
    };
    add(this.data);
    add((this.data.byResource[resource] ??= emptyCounts()));
  }

  error(): void {
    this.data.errors++;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = { ...emptyCounts(), byResource: {}, errors: 0, since: new Date().toISOString() };
  }
}

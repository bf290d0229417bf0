// All configuration comes from environment variables, validated once at start; a bad value stops
// Berth with a message naming the variable. docs/configuration.md lists every variable.

export interface BerthConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  bootstrapToken: string | undefined;
  bootstrapEmail: string;
  encryptionKeys: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `pretty` for people, `json` for machines; `auto` is pretty on a terminal, JSON otherwise (LOG_FORMAT). */
  logFormat: 'auto' | 'json' | 'pretty';
  bodyLimitBytes: number;
  /** Take the client address from X-Forwarded-For as set by the nearest proxy (BERTH_TRUST_PROXY; behind a proxy only). */
  trustProxy: boolean;
  /** Base64 Ed25519 seed (32 bytes) that signs exported audit heads; derived from the encryption key when unset. */
  auditSigningKey: string | undefined;
  /** Signed checkpoints of the audit head, written outside the database (docs/security.md). */
  auditCheckpoint: {
    /** How often the head is checkpointed (when it moved). */
    intervalMs: number;
    /** `file:///dir` or an absolute path: a directory; `https://…` (or `http://`): a webhook. Unset: none. */
    sink: { kind: 'directory'; path: string } | { kind: 'webhook'; url: string } | undefined;
    /** Bearer token sent to a webhook sink. */
    sinkToken: string | undefined;
  };
  /** Bearer token /metrics requires; unset means /metrics is public (scrape it from inside the cluster). */
  metricsToken: string | undefined;
  rateLimit: {
    enabled: boolean;
    /** Refill rate of the general bucket, per caller. */
    perHour: number;
    /** Capacity of the general bucket (requests a caller may make at once after idling). */
    burst: number;
    /** Refill rate and capacity of the deploy bucket (POST …/releases). */
    deployPerHour: number;
    /** Failed authentications a source address may make at once, and after that per hour. */
    authFailureBurst: number;
    authFailuresPerHour: number;
  };
  /** Upper bound for draining in-flight work after SIGTERM. */
  shutdownTimeoutMs: number;
  /** Jobs one replica runs at once (reconciles, status observation). */
  workerConcurrency: number;
  /** Off for tools that build the application without serving it (e.g. the OpenAPI export). */
  workersEnabled: boolean;
  /** How often a replica looks for jobs held by Berth workers that died (they are handed back). */
  workerReclaimIntervalMs: number;
  /** How often every environment is compared with its cluster (drift repair). */
  resyncIntervalMs: number;
  /** Replicas sharing the clusters (src/modules/cluster-leases): how often a replica says it is alive and renews its leases. */
  replicaHeartbeatMs: number;
  /** How long a cluster lease lasts unrenewed: a replica silent this long is dead, and its clusters go to survivors. */
  clusterLeaseTtlMs: number;
  /** Concurrent requests Berth makes to one cluster's API server. */
  kubeMaxConcurrency: number;
  /** Start and register a sandbox cluster when no cluster is registered (newcomers). */
  sandboxWhenEmpty: boolean;
  /** How often every registered cluster is probed for reachability and version. */
  clusterProbeIntervalMs: number;
  /** Whether GET/POST /graphql answers introspection queries (BERTH_GRAPHQL_INTROSPECTION). */
  graphqlIntrospection: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): BerthConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgresql:// URL');
  }
  const bootstrapToken = env.BERTH_BOOTSTRAP_TOKEN || undefined;
  if (bootstrapToken && !/^berth_[A-Za-z0-9_-]{24,}$/.test(bootstrapToken)) {
    throw new ConfigError('BERTH_BOOTSTRAP_TOKEN', 'must start with "berth_" followed by at least 24 letters, digits, "-" or "_"');
  }
  const encryptionKeys = (env.BERTH_ENCRYPTION_KEY ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const key of encryptionKeys) {
    if (Buffer.from(key, 'base64').length !== 32) {
      throw new ConfigError('BERTH_ENCRYPTION_KEY', 'must be base64 of 32 random bytes (several comma-separated, newest first)');
    }
  }
  const bootstrapEmail = env.BERTH_BOOTSTRAP_EMAIL || 'admin@berth.local';
  if (!/^[^@\s]+@[^@\s]+$/.test(bootstrapEmail)) throw new ConfigError('BERTH_BOOTSTRAP_EMAIL', 'must be an e-mail address');
  const auditSigningKey = env.BERTH_AUDIT_SIGNING_KEY || undefined;
  if (auditSigningKey && Buffer.from(auditSigningKey, 'base64').length !== 32) {
    throw new ConfigError('BERTH_AUDIT_SIGNING_KEY', 'must be base64 of a 32-byte Ed25519 seed');
  }
  const checkpointSink = parseCheckpointSink(env.BERTH_AUDIT_CHECKPOINT_SINK);
  const metricsToken = env.BERTH_METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16) throw new ConfigError('BERTH_METRICS_TOKEN', 'must be at least 16 characters');
  const perHour = int(env, 'BERTH_RATE_LIMIT_PER_HOUR', 4500, 1, 10_000_000);
  const replicaHeartbeatMs = int(env, 'BERTH_REPLICA_HEARTBEAT_MS', 1000, 100, 60_000);
  const clusterLeaseTtlMs = int(env, 'BERTH_CLUSTER_LEASE_TTL_MS', 5000, 500, 600_000);
  // A lease must survive a missed heartbeat or two (a slow query, a GC pause) without changing hands.
  if (clusterLeaseTtlMs < 3 * replicaHeartbeatMs) {
    throw new ConfigError('BERTH_CLUSTER_LEASE_TTL_MS', `must be at least 3 × BERTH_REPLICA_HEARTBEAT_MS (${3 * replicaHeartbeatMs}), got ${clusterLeaseTtlMs}`);
  }
  return {
    auditSigningKey,
    auditCheckpoint: {
      intervalMs: int(env, 'BERTH_AUDIT_CHECKPOINT_INTERVAL_MS', 60_000, 100, 86_400_000),
      sink: checkpointSink,
      sinkToken: env.BERTH_AUDIT_CHECKPOINT_SINK_TOKEN || undefined,
    },
    // PGlite (the embedded database, when DATABASE_URL is unset) runs one query at a time: many
    // connections and workers only queue behind each other and stall the job queue.
    workerConcurrency: int(env, 'BERTH_WORKER_CONCURRENCY', databaseUrl ? 8 : 1, 1, 256),
    workersEnabled: bool(env, 'BERTH_WORKERS_ENABLED', true),
    workerReclaimIntervalMs: int(env, 'BERTH_WORKER_RECLAIM_INTERVAL_MS', 10_000, 500, 3_600_000),
    resyncIntervalMs: int(env, 'BERTH_RESYNC_INTERVAL_MS', 60_000, 1000, 86_400_000),
    replicaHeartbeatMs,
    clusterLeaseTtlMs,
    kubeMaxConcurrency: int(env, 'BERTH_KUBE_MAX_CONCURRENCY', 8, 1, 256),
    sandboxWhenEmpty: bool(env, 'BERTH_SANDBOX_WHEN_EMPTY', true),
    clusterProbeIntervalMs: int(env, 'BERTH_CLUSTER_PROBE_INTERVAL_MS', 30_000, 1000, 86_400_000),
    graphqlIntrospection: bool(env, 'BERTH_GRAPHQL_INTROSPECTION', true),
    metricsToken,
    rateLimit: {
      enabled: bool(env, 'BERTH_RATE_LIMIT_ENABLED', true),
      perHour,
      burst: int(env, 'BERTH_RATE_LIMIT_BURST', perHour, 1, 10_000_000),
      deployPerHour: int(env, 'BERTH_DEPLOY_RATE_LIMIT_PER_HOUR', 60, 1, 10_000_000),
      authFailureBurst: int(env, 'BERTH_AUTH_FAILURE_BURST', 20, 1, 10_000_000),
      authFailuresPerHour: int(env, 'BERTH_AUTH_FAILURES_PER_HOUR', 360, 1, 10_000_000),
    },
    shutdownTimeoutMs: int(env, 'BERTH_SHUTDOWN_TIMEOUT_MS', 25_000, 0, 3_600_000),
    port: int(env, 'PORT', 8080, 0, 65535),
    // Loopback unless told otherwise: a first start holds a freshly minted platform-admin token.
    // The container image sets HOST=0.0.0.0.
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', databaseUrl ? 10 : 2, 1, 500),
    dataDir: env.BERTH_DATA_DIR || '.berth',
    bootstrapToken,
    bootstrapEmail,
    encryptionKeys,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
    bodyLimitBytes: int(env, 'BERTH_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    trustProxy: bool(env, 'BERTH_TRUST_PROXY', false),
  };
}

function parseCheckpointSink(value: string | undefined): BerthConfig['auditCheckpoint']['sink'] {
  if (!value) return undefined;
  if (value.startsWith('/')) return { kind: 'directory', path: value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('BERTH_AUDIT_CHECKPOINT_SINK', 'must be file:///<directory>, an absolute directory path, or an http(s):// webhook URL');
  }
  if (url.protocol === 'file:') return { kind: 'directory', path: decodeURIComponent(url.pathname) };
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    if (url.username || url.password) throw new ConfigError('BERTH_AUDIT_CHECKPOINT_SINK', 'must not carry credentials; use BERTH_AUDIT_CHECKPOINT_SINK_TOKEN');
    return { kind: 'webhook', url: url.toString() };
  }
  throw new ConfigError('BERTH_AUDIT_CHECKPOINT_SINK', 'must be file:///<directory>, an absolute directory path, or an http(s):// webhook URL');
}

export const BERTH_CONFIG = Symbol('BERTH_CONFIG');

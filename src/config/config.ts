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
  bodyLimitBytes: number;
  /** Base64 Ed25519 seed (32 bytes) that signs exported audit heads; derived from the encryption key when unset. */
  auditSigningKey: string | undefined;
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
  return {
    auditSigningKey,
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    dataDir: env.BERTH_DATA_DIR || '.berth',
    bootstrapToken,
    bootstrapEmail,
    encryptionKeys,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: int(env, 'BERTH_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
  };
}

export const BERTH_CONFIG = Symbol('BERTH_CONFIG');

// The authentication cache: a token's record (user, platform-admin flag, team roles, expiry) kept in
// memory so that a request needs no token lookup. It never serves a change late, on any replica:
//
// - Every change of access bumps one version in PostgreSQL and NOTIFYs it (trigger, migration
//   20261201175138_auth_cache). Each replica LISTENs on one connection of its own, and on every
//   notification empties its cache, then records the version it has applied (`auth_cache_replicas`).
// - A request that may have changed access (a write) reads the version after its commit and, before
//   answering, waits until every replica with a live lease has applied it (`barrier`). So once the
//   API has answered "revoked", no replica serves the old record.
// - A replica renews its lease every second on that same connection; it serves from its cache only
//   while its lease runs (by its own clock, started before the renewal was sent, minus a margin), so
//   a replica that lost its connection or stalls stops serving from cache before writers stop
//   waiting for it. A connection lost empties the cache.
// - Expiry needs no notification: the guard compares `expires_at` with the clock on every request.
// - A load that began before an invalidation is never stored (an epoch counts invalidations), and
//   concurrent misses of one token share one lookup only within one epoch.
// docs/security.md, "Authentication cache".
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL } from '../../database/database.module.js';
import { PrismaService } from '../../database/prisma.service.js';
import { ACCESS_CHANNEL } from './access-watcher.service.js';
import type { TokenOwnerRecord } from './auth.repository.js';

/** How long a renewed lease lasts, as recorded in the database. */
export const LEASE_MS = 5_000;
/** Renewal period; several renewals fit in one lease. */
export const RENEW_MS = 1_000;
/** Subtracted from the local lease end: clocks of replicas and database may run at slightly different rates. */
export const LEASE_MARGIN_MS = 1_000;
/** Bounds what a cached record can miss if someone changed the database with its triggers disabled. */
export const ENTRY_TTL_MS = 30_000;
export const MAX_ENTRIES = 10_000;
/** A writer waits at most this long for replicas' acknowledgements (a live lease ends within LEASE_MS). */
export const BARRIER_TIMEOUT_MS = LEASE_MS + 2_000;

interface Entry {
  record: TokenOwnerRecord;
  loadedAt: number;
}

const READ_VERSION = { name: 'berth_access_version', text: 'SELECT version FROM access_version WHERE id = 1' };
const PENDING_REPLICAS = { name: 'berth_access_pending', text: 'SELECT count(*)::int AS pending FROM auth_cache_replicas WHERE applied < $1 AND lease_until > now()' };

@Injectable()
export class AuthCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuthCache');
  readonly replicaId = randomUUID();
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<TokenOwnerRecord | null>>();
  /** Counts invalidations: a lookup that began in an older epoch is not stored. */
  private epoch = 0;
  /** performance.now() until which the cache may be served (0: not at all). */
  private usableUntil = 0;
  /** The highest access version this replica has applied (emptied its cache for). */
  private applied = 0;
  /** The highest version every live replica is known to have applied (writers skip the wait below it). */
  private confirmed = 0;
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private renewing: Promise<void> | undefined;
  private renewAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), RENEW_MS);
    this.timer.unref();
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.connecting;
    await this.renewing;
    const client = this.client;
    this.invalidate();
    this.client = undefined;
    if (client) {
      await client.query('DELETE FROM auth_cache_replicas WHERE id = $1', [this.replicaId]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  /** Whether records may be served from memory now (lease running). */
  get usable(): boolean {
    return performance.now() < this.usableUntil;
  }

  /**
   * The record of the token with `hash`: from memory while the lease runs, else from `load` (one
   * lookup for concurrent callers of one epoch), stored when no invalidation happened meanwhile.
   */
  async get(hash: string, load: () => Promise<TokenOwnerRecord | null>): Promise<TokenOwnerRecord | null> {
    if (this.usable) {
      const entry = this.entries.get(hash);
      if (entry && performance.now() - entry.loadedAt < ENTRY_TTL_MS) return entry.record;
      if (entry) this.entries.delete(hash);
    }
    const key = `${this.epoch}:${hash}`;
    let pending = this.loading.get(key);
    if (!pending) {
      const epoch = this.epoch;
      const startedAt = performance.now();
      pending = load().then((record) => {
        // Unknown and revoked tokens are not kept: each of their failures counts against its address.
        if (record && !record.revokedAt && epoch === this.epoch && this.usable) this.store(hash, record, startedAt);
        return record;
      });
      this.loading.set(key, pending);
      void pending.finally(() => this.loading.delete(key)).catch(() => undefined);
    }
    return pending;
  }

  private store(hash: string, record: TokenOwnerRecord, loadedAt: number): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, { record, loadedAt });
  }

  /** Empties the cache; lookups in flight will not be stored. */
  private invalidate(): void {
    this.epoch += 1;
    this.entries.clear();
    this.loading.clear();
  }

  /**
   * Called after a request that may have changed access committed, before it answers: waits until
   * every replica with a live lease has applied the current access version (normally a few
   * milliseconds; a replica that died is waited for until its lease ends).
   */
  async barrier(): Promise<void> {
    const [row] = await this.prisma.query<{ version: string }>(READ_VERSION, []);
    const version = Number(row?.version ?? 0);
    if (version <= this.confirmed) return;
    const deadline = performance.now() + BARRIER_TIMEOUT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      const [counted] = await this.prisma.query<{ pending: number }>(PENDING_REPLICAS, [version]);
      if (!counted || counted.pending === 0) {
        this.confirmed = Math.max(this.confirmed, version);
        return;
      }
      if (performance.now() > deadline) {
        // Cannot happen while leases are honoured (a live lease is renewed with the applied version
        // or ends); said loudly rather than answering never.
        this.logger.error({ version, pending: counted.pending }, 'replicas did not apply an access change in time; answering anyway');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (!this.client) return this.connect();
    return this.renew();
  }

  private connect(): Promise<void> {
    if (this.client || this.connecting || this.closed) return this.connecting ?? Promise.resolve();
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'berth-auth-cache' });
      client.on('error', (err) => this.lost(client, err));
      client.on('end', () => this.lost(client));
      client.on('notification', (message) => this.notified(message.payload));
      try {
        await client.connect();
        await client.query(`LISTEN ${ACCESS_CHANNEL}`);
        // Listening first: a change after this read is notified; the cache starts empty.
        const { rows } = await client.query<{ version: string }>(READ_VERSION.text);
        this.invalidate();
        this.applied = Math.max(this.applied, Number(rows[0]?.version ?? 0));
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        await this.renew();
        // Rows of replicas that died without saying goodbye (kill -9): long past their lease.
        await client.query("DELETE FROM auth_cache_replicas WHERE lease_until < now() - interval '1 hour'").catch(() => undefined);
      } catch (err) {
        this.logger.warn({ err }, 'could not listen for access changes; authenticating every request from the database until it works');
        await client.end().catch(() => undefined);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.usableUntil = 0;
    this.invalidate();
    if (!this.closed) this.logger.warn({ err }, 'lost the access-change connection; authenticating every request from the database until it is back');
    client.end().catch(() => undefined);
  }

  private notified(payload: string | undefined): void {
    let version = 0;
    try {
      version = Number((JSON.parse(payload ?? '{}') as { version?: unknown }).version ?? 0);
    } catch {
      // Not ours to parse; still a change.
    }
    this.invalidate();
    if (Number.isFinite(version)) this.applied = Math.max(this.applied, version);
    void this.renew();
  }

  /** Renews the lease and reports the applied version, on the notification connection (coalesced). */
  private renew(): Promise<void> {
    if (this.renewing) {
      this.renewAgain = true;
      return this.renewing;
    }
    this.renewing = (async () => {
      do {
        this.renewAgain = false;
        const client = this.client;
        if (!client) return;
        const sentAt = performance.now();
        const applied = this.applied;
        try {
          await client.query(
            `INSERT INTO auth_cache_replicas (id, applied, lease_until) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
             ON CONFLICT (id) DO UPDATE SET applied = GREATEST(auth_cache_replicas.applied, EXCLUDED.applied), lease_until = EXCLUDED.lease_until`,
            [this.replicaId, applied, LEASE_MS],
          );
          if (this.client === client) this.usableUntil = sentAt + LEASE_MS - LEASE_MARGIN_MS;
        } catch (err) {
          this.lost(client, err as Error);
          return;
        }
      } while (this.renewAgain);
    })().finally(() => (this.renewing = undefined));
    return this.renewing;
  }
}

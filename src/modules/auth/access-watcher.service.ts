// AccessRevocation over PostgreSQL: a trigger on api_tokens, memberships and users NOTIFYs
// `berth_access_changed` (migration 20261201150000_access_changed_notify), every replica LISTENs on
// one dedicated connection (opened while streams are registered) and re-checks its registered
// callers at once; a periodic re-check catches expiry (no write happens when a token expires) and a
// lost notification connection. One query per check, for all registered tokens.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { roleRank, type Actor } from '../../common/auth/actor.js';
import { DATABASE_URL } from '../../database/database.module.js';
import { AccessRevocation, type StreamScope } from './access-revocation.js';
import { AuthRepository, type TokenAccessState } from './auth.repository.js';

export const ACCESS_CHANNEL = 'berth_access_changed';
/** Expiry is noticed within this long; revocation and role changes at once (NOTIFY). */
export const RECHECK_INTERVAL_MS = 5_000;

interface Registration {
  actor: Actor;
  scope: StreamScope;
  end: (reason: string) => void;
}

/** Why `state` no longer grants what `actor` had, or undefined when it still does. */
export function lostAccess(actor: Actor, scope: StreamScope, state: TokenAccessState | undefined, now: Date): string | undefined {
  if (!state || state.revokedAt) return 'the token was revoked';
  if (state.expiresAt && state.expiresAt <= now) return 'the token has expired';
  if (actor.isPlatformAdmin && !state.isPlatformAdmin) return 'platform admin access was removed';
  const teams = scope.teamId ? [scope.teamId] : [...actor.teamRoles.keys()];
  for (const teamId of teams) {
    const had = actor.teamRoles.get(teamId);
    if (!had) continue;
    const has = state.roles.get(teamId);
    if (!has) return 'the team membership was removed';
    if (roleRank(has) < roleRank(had)) return `the team role was lowered to ${has}`;
  }
  return undefined;
}

@Injectable()
export class AccessWatcher extends AccessRevocation implements OnApplicationShutdown {
  private readonly logger = new Logger('AccessWatcher');
  private readonly registrations = new Set<Registration>();
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private checking: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly auth: AuthRepository,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {
    super();
  }

  register(actor: Actor, end: (reason: string) => void, scope: StreamScope = {}): () => void {
    let done = false;
    const registration: Registration = {
      actor,
      scope,
      end: (reason) => {
        if (done) return;
        done = true;
        this.registrations.delete(registration);
        try {
          end(reason);
        } catch (err) {
          this.logger.warn({ err }, 'a stream failed to end');
        }
      },
    };
    this.registrations.add(registration);
    this.start();
    return () => {
      done = true;
      this.registrations.delete(registration);
      if (this.registrations.size === 0) this.stop();
    };
  }

  /** Re-checks every registered stream now (coalesced: one check runs at a time, one more queued). */
  async check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        await this.checkOnce().catch((err: unknown) => this.logger.warn({ err }, 'could not re-check the access of open streams'));
      } while (this.again);
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const registrations = [...this.registrations];
    if (!registrations.length) return;
    const tokenIds = [...new Set(registrations.map((r) => r.actor.tokenId).filter((id): id is string => !!id))];
    const states = await this.auth.accessStates(tokenIds);
    const now = new Date();
    for (const registration of registrations) {
      if (!registration.actor.tokenId) continue;
      const reason = lostAccess(registration.actor, registration.scope, states.get(registration.actor.tokenId), now);
      if (reason) registration.end(reason);
    }
  }

  private start(): void {
    if (this.closed) return;
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), RECHECK_INTERVAL_MS);
      this.timer.unref();
    }
    void this.listen();
  }

  private async tick(): Promise<void> {
    if (!this.listener) void this.listen();
    await this.check();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const client = this.listener;
    this.listener = undefined;
    client?.end().catch(() => undefined);
  }

  private listen(): Promise<void> {
    if (this.listener || this.connecting || this.closed) return this.connecting ?? Promise.resolve();
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('error', (err) => {
        this.logger.warn({ err }, 'lost the access-change notification connection; re-checking periodically until it is back');
        if (this.listener === client) this.listener = undefined;
      });
      client.on('notification', () => void this.check());
      try {
        await client.connect();
        await client.query(`LISTEN ${ACCESS_CHANNEL}`);
        if (this.closed || this.registrations.size === 0) {
          await client.end();
          return;
        }
        this.listener = client;
        // Changes made while connecting were not heard: check once now.
        void this.check();
      } catch (err) {
        this.logger.warn({ err }, 'could not listen for access changes; re-checking periodically');
        await client.end().catch(() => undefined);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.connecting;
    this.stop();
  }
}

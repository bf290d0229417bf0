// The port open streams register with so that they end when their caller's access shrinks: the
// token is revoked or expires, or a team role is lowered or removed (or platform admin taken away).
// graphql-ws connections and SSE streams register; anything else that holds a caller's stream open
// should too. Implemented by AccessWatcher (PostgreSQL NOTIFY from every replica plus a periodic
// re-check for expiry).
import type { Actor } from '../../common/auth/actor.js';

export interface StreamScope {
  /** Only this team's role matters (the stream shows one team's objects); else any lowered role ends it. */
  teamId?: string;
}

export abstract class AccessRevocation {
  /**
   * Calls `end(reason)` once (a sentence for the client, e.g. "the token was revoked") when `actor`
   * loses the access it had at registration. Returns the function that unregisters (call it when the
   * stream ends by itself).
   */
  abstract register(actor: Actor, end: (reason: string) => void, scope?: StreamScope): () => void;
}

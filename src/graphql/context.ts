// The GraphQL context: `req` is what the AuthGuard and CurrentActor read (the Fastify request over
// HTTP; a request-like object built from connectionParams over WebSocket), plus per-request loaders.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../common/auth/actor.js';
import type { Loaders } from './loaders/loaders.js';

export interface GqlRequest {
  id: string;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  actor?: Actor;
}

export interface GqlContext {
  req: GqlRequest;
  loaders: Loaders;
}

/** What graphql-ws hands the context function: the connection's params and its upgrade request. */
export interface WsConnectionContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { request?: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } } };
}

export function isWsContext(value: unknown): value is WsConnectionContext {
  return typeof value === 'object' && value !== null && 'extra' in value && 'connectionParams' in value;
}

/** Bearer token from connectionParams.authorization (or Authorization, as some clients send it). */
export function wsAuthorization(ctx: WsConnectionContext): string | undefined {
  const params = ctx.connectionParams ?? {};
  const value = params.authorization ?? params.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The client address of a WebSocket upgrade, as Fastify computes it for HTTP requests: the socket's
 * peer, or with BERTH_TRUST_PROXY the entry the nearest proxy added to X-Forwarded-For (one hop).
 */
export function wsClientAddress(upgrade: WsConnectionContext['extra']['request'], trustProxy: boolean): string | undefined {
  const forwarded = upgrade?.headers['x-forwarded-for'];
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((a) => a.trim()).filter(Boolean);
  return trustProxy && list.length ? list[list.length - 1] : upgrade?.socket?.remoteAddress;
}

export function wsRequest(ctx: WsConnectionContext, trustProxy = false): GqlRequest {
  const upgrade = ctx.extra.request;
  return {
    id: randomUUID(),
    headers: { authorization: wsAuthorization(ctx), 'user-agent': upgrade?.headers['user-agent'] },
    ip: wsClientAddress(upgrade, trustProxy),
  };
}

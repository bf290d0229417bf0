// When a registered stream's caller has lost access (src/modules/auth/access-watcher.service.ts), and
// which address a WebSocket client has (for per-address limits).
import { describe, expect, it } from '@jest/globals';
import type { Actor, TeamRole } from '../../src/common/auth/actor.js';
import { lostAccess } from '../../src/modules/auth/access-watcher.service.js';
import type { TokenAccessState } from '../../src/modules/auth/auth.repository.js';

const actor = (roles: Record<string, TeamRole>, isPlatformAdmin = false): Actor => ({ type: 'user', userId: 'u', tokenId: 't', name: 'n', email: 'e@x', isPlatformAdmin, teamRoles: new Map(Object.entries(roles)) });
const state = (roles: Record<string, TeamRole>, extra: Partial<TokenAccessState> = {}): TokenAccessState => ({ expiresAt: null, revokedAt: null, isPlatformAdmin: false, roles: new Map(Object.entries(roles)), ...extra });
const now = new Date('2026-12-01T12:00:00Z');

describe('lostAccess', () => {
  it('keeps a caller whose access is unchanged or grew', () => {
    expect(lostAccess(actor({ a: 'developer' }), {}, state({ a: 'developer' }), now)).toBeUndefined();
    expect(lostAccess(actor({ a: 'developer' }), {}, state({ a: 'owner', b: 'viewer' }), now)).toBeUndefined();
  });

  it('ends on revocation, deletion and expiry', () => {
    expect(lostAccess(actor({}), {}, state({}, { revokedAt: now }), now)).toMatch(/revoked/);
    expect(lostAccess(actor({}), {}, undefined, now)).toMatch(/revoked/);
    expect(lostAccess(actor({}), {}, state({}, { expiresAt: new Date(now.getTime() - 1) }), now)).toMatch(/expired/);
  });

  it('ends when a team role is lowered or removed, or platform admin taken away', () => {
    expect(lostAccess(actor({ a: 'admin' }), {}, state({ a: 'viewer' }), now)).toMatch(/lowered to viewer/);
    expect(lostAccess(actor({ a: 'admin' }), {}, state({}), now)).toMatch(/membership was removed/);
    expect(lostAccess(actor({}, true), {}, state({}), now)).toMatch(/platform admin/);
  });

  it('with a team scope, only that team counts', () => {
    expect(lostAccess(actor({ a: 'admin', b: 'admin' }), { teamId: 'a' }, state({ a: 'admin' }), now)).toBeUndefined();
    expect(lostAccess(actor({ a: 'admin', b: 'admin' }), { teamId: 'b' }, state({ a: 'admin' }), now)).toMatch(/removed/);
  });
});

describe('wsClientAddress', () => {
  it('is the socket peer, or with trust the entry the nearest proxy added', async () => {
    const { wsClientAddress } = await import('../../src/graphql/context.js');
    const upgrade = { headers: { 'x-forwarded-for': '10.0.0.1, 203.0.113.7' }, socket: { remoteAddress: '192.0.2.1' } };
    expect(wsClientAddress(upgrade, false)).toBe('192.0.2.1');
    expect(wsClientAddress(upgrade, true)).toBe('203.0.113.7');
    expect(wsClientAddress({ headers: {}, socket: { remoteAddress: '192.0.2.1' } }, true)).toBe('192.0.2.1');
  });
});

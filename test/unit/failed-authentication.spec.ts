// Audit events of failed authentication stay bounded per window however many addresses an attacker
// uses (src/modules/auth/failed-authentication.service.ts).
import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { FailedAuthentication, MAX_SOURCES_PER_WINDOW } from '../../src/modules/auth/failed-authentication.service.js';

describe('FailedAuthentication', () => {
  it('audits each address once at once and once aggregated; past the cap, one shared tally', async () => {
    const events: Array<{ action: string; change: Record<string, unknown> }> = [];
    const limiter = { consume: async () => ({}) };
    const audit = { record: async (e: { action: string; change: Record<string, unknown> }) => void events.push(e) };
    const failures = new FailedAuthentication(limiter as never, audit as never);
    const error = new DomainError('unauthenticated', 'the token is unknown or revoked');
    const where = { method: 'GET', route: '/v1/users/me', path: '/v1/users/me' };
    for (let i = 0; i < MAX_SOURCES_PER_WINDOW + 5; i++) await failures.failed(`2001:db8::${i.toString(16)}`, error, where);
    for (let i = 0; i < 3; i++) await failures.failed('2001:db8::0', error, where);
    expect(events.filter((e) => e.action === 'access.denied')).toHaveLength(MAX_SOURCES_PER_WINDOW);
    await failures.flush();
    const aggregated = events.filter((e) => e.action === 'auth.failed');
    expect(aggregated.map((e) => e.change.count).sort()).toEqual([3, 5]);
  });
});

// The write-path benchmark's "off" arm substitutes providers instead of flipping a product switch:
// the same requests commit without audit events or quota accounting only in that arm.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newToken, seedApp, startBerth, type InProcessBerth } from '../../bench/lib/berth.js';
import { withoutTrust } from '../../bench/lib/without-trust.js';
import { createTestDatabase, sql } from '../support/database.js';

describe('benchmark arms built with substituted providers', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let trusted: InProcessBerth;
  let untrusted: InProcessBerth;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { BERTH_RATE_LIMIT_ENABLED: 'false', BERTH_WORKERS_ENABLED: 'false' };
    trusted = await startBerth(db.url, env);
    untrusted = await startBerth(db.url, env, newToken(), { createApp: withoutTrust });
  });

  afterAll(async () => {
    await untrusted?.close();
    await trusted?.close();
    await db?.drop();
  });

  // Only the events of the operations under test (their targets carry the arm's name).
  const events = async (arm: string) => Number((await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM audit_events WHERE target_name LIKE $1', [`${arm}%`]))[0]!.n);
  const usedApps = async (team: string) => Number((await sql<{ n: number }>(db.url, 'SELECT q.used_apps AS n FROM team_quotas q JOIN teams t ON t.id = q.team_id WHERE t.name = $1', [team]))[0]!.n);

  it('records audit events and counts quota usage in the full arm only', async () => {
    const full = await seedApp(trusted.api, 'arm-full');
    expect(await events('arm-full')).toBeGreaterThanOrEqual(3); // user, team, app
    expect(await usedApps(full.team)).toBe(1);

    const off = await seedApp(untrusted.api, 'arm-off');
    expect(await events('arm-off')).toBe(0);
    expect(await usedApps(off.team)).toBe(0);
  });
});

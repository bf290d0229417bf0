// Bulk seeding with SQL for the scale row: clones one environment made through the API (its
// process types and release) into many, in a few statements. Release config is re-encrypted per
// release id (the id is the associated data) with the bench's key, so the reconciler can read it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import { BENCH_ENCRYPTION_KEY } from './berth.js';

async function columns(client: pg.Client, table: string): Promise<string[]> {
  const rows = await client.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", [table]);
  return rows.rows.map((r) => r.column_name);
}

/** `INSERT INTO table (all columns) SELECT <override or tmpl."col"> FROM <from>`. */
async function clone(client: pg.Client, table: string, overrides: Record<string, string>, from: string, values: unknown[]): Promise<number> {
  const cols = await columns(client, table);
  const select = cols.map((c) => overrides[c] ?? `tmpl."${c}"`).join(', ');
  const res = await client.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${select} FROM ${from}`, values);
  return res.rowCount ?? 0;
}

export interface SeedResult {
  environmentIds: string[];
}

/** Makes `total` environments (10 per app, 10 apps per team) spread round-robin over `clusterIds`. */
export async function cloneEnvironments(databaseUrl: string, templateEnvId: string, clusterIds: string[], total: number): Promise<SeedResult> {
  const encryption = new EncryptionService([BENCH_ENCRYPTION_KEY]);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const apps = Math.ceil(total / 10);
    const teams = Math.ceil(apps / 10);
    await client.query(`INSERT INTO teams (id, name, display_name, updated_at) SELECT gen_random_uuid(), 'st' || g, 'Scale ' || g, now() FROM generate_series(1, $1::int) g`, [teams]);
    await client.query(`INSERT INTO team_quotas (team_id, updated_at, max_apps, max_environments) SELECT id, now(), 100, 1000 FROM teams WHERE name LIKE 'st%'`);
    await client.query(`INSERT INTO apps (id, team_id, name, updated_at) SELECT gen_random_uuid(), t.id, 'sa-' || t.name || '-' || g, now() FROM teams t, generate_series(1, 10) g WHERE t.name LIKE 'st%'`);
    const envIds = Array.from({ length: total }, () => randomUUID());
    const releaseIds = Array.from({ length: total }, () => randomUUID());
    const tmplRelease = (await client.query<{ id: string; config_ciphertext: string }>('SELECT id, config_ciphertext FROM releases WHERE environment_id = $1 ORDER BY number DESC LIMIT 1', [templateEnvId])).rows[0]!;
    const config = encryption.decryptJson<Record<string, string>>(tmplRelease.config_ciphertext, tmplRelease.id);
    const ciphertexts = releaseIds.map((id) => encryption.encryptJson(config, id));
    await client.query('CREATE TEMP TABLE seed_env ON COMMIT DROP AS SELECT u.env_id, u.rel_id, u.ct, u.i, a.id AS app_id, a.team_id FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS u(env_id, rel_id, ct, i) JOIN (SELECT id, team_id, row_number() OVER (ORDER BY name) AS rn FROM apps WHERE name LIKE \'sa-%\') a ON a.rn = (u.i - 1) / 10 + 1', [envIds, releaseIds, ciphertexts]);
    await clone(
      client,
      'environments',
      { id: 's.env_id', team_id: 's.team_id', app_id: 's.app_id', name: "'e' || ((s.i - 1) % 10)", cluster_id: '($2::uuid[])[((s.i - 1) % $3::int) + 1]', desired_generation: '1', applied_generation: '0', applied_objects: "'{}'", last_applied_at: 'NULL', observed_status: 'NULL', last_sync_error: 'NULL', release_counter: '1' },
      'seed_env s, environments tmpl WHERE tmpl.id = $1',
      [templateEnvId, clusterIds, clusterIds.length],
    );
    await clone(client, 'process_types', { id: 'gen_random_uuid()', team_id: 's.team_id', environment_id: 's.env_id' }, 'seed_env s, process_types tmpl WHERE tmpl.environment_id = $1', [templateEnvId]);
    await clone(client, 'releases', { id: 's.rel_id', team_id: 's.team_id', environment_id: 's.env_id', config_ciphertext: 's.ct', number: '1', phase: "'pending'", created_by_id: 'NULL' }, 'seed_env s, releases tmpl WHERE tmpl.id = $1', [tmplRelease.id]);
    await client.query('COMMIT');
    return { environmentIds: envIds };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

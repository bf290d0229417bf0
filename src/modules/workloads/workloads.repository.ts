// Everything the reconciler reads and writes in the database, with the tenant explicit in every
// query that touches tenant data.
import { Injectable } from '@nestjs/common';
import pg from 'pg';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, TransactionHost } from '../../database/prisma.service.js';
import { TERMINAL_PHASES } from '../releases/release-phase.js';
import type { QuotaRow } from './render-input.js';
import { addJobsSql, type JobSpecs } from '../work-queue/job-specs.js';

export interface EnvironmentState {
  id: string;
  teamId: string;
  name: string;
  production: boolean;
  autoRollback: boolean;
  state: 'active' | 'deleting';
  clusterId: string | null;
  clusterSelector: unknown;
  desiredGeneration: number;
  appliedGeneration: number;
  appliedObjects: string[];
  restartedAt: Date | null;
  securityProfile: string;
  failureRestartThreshold: number;
  progressDeadlineSeconds: number;
  app: { id: string; name: string; state: 'active' | 'deleting'; team: { id: string; name: string } };
  processTypes: Array<{ type: string; command: string | null; replicas: number; size: string; autoscaleMin: number | null; autoscaleMax: number | null; autoscaleTargetCpu: number | null; port: number | null; healthCheckPath: string | null }>;
  domains: Array<{ hostname: string }>;
}

export interface ReleaseState {
  id: string;
  number: number;
  image: string;
  configCiphertext: string;
  phase: string;
  reason: string | null;
  createdAt: Date;
}

const RELEASE_SELECT = { id: true, number: true, image: true, configCiphertext: true, phase: true, reason: true, createdAt: true } as const;

/**
 * Everything a reconcile or a status look starts from, in one prepared statement: the environment,
 * its app and team, process types and domains. Every reconcile and every status look begins here,
 * so outside a transaction it is not Prisma's four statements (and their query compilation).
 */
const ENVIRONMENT_STATE_COLUMNS = `e.id, e.team_id, e.name, e.production, e.auto_rollback, e.state::text AS state, e.cluster_id, e.cluster_selector,
      e.desired_generation, e.applied_generation, e.applied_objects, e.restarted_at, e.security_profile,
      e.failure_restart_threshold, e.progress_deadline_seconds,
      a.id AS app_id, a.name AS app_name, a.state::text AS app_state, t.id AS app_team_id, t.name AS app_team_name,
      coalesce((SELECT json_agg(json_build_object('type', p.type, 'command', p.command, 'replicas', p.replicas, 'size', p.size,
          'autoscaleMin', p.autoscale_min, 'autoscaleMax', p.autoscale_max, 'autoscaleTargetCpu', p.autoscale_target_cpu,
          'port', p.port, 'healthCheckPath', p.health_check_path) ORDER BY p.type)
        FROM process_types p WHERE p.environment_id = e.id AND p.team_id = e.team_id), '[]'::json) AS process_types,
      coalesce((SELECT json_agg(json_build_object('hostname', d.hostname) ORDER BY d.hostname)
        FROM domains d WHERE d.environment_id = e.id AND d.team_id = e.team_id), '[]'::json) AS domains`;
const ENVIRONMENT_STATE_FROM = 'FROM environments e JOIN apps a ON a.id = e.app_id AND a.team_id = e.team_id JOIN teams t ON t.id = a.team_id';

const ENVIRONMENT_STATE = {
  name: 'berth_environment_state',
  text: `SELECT ${ENVIRONMENT_STATE_COLUMNS} ${ENVIRONMENT_STATE_FROM} WHERE e.id = $1::uuid`,
};

/**
 * Everything a reconcile reads, in one statement: the environment state as above, its cluster, its
 * two newest releases, its team's quota (four statements before, on every reconcile), and whether the
 * team has any registry login at all (most have none: then no pull Secret is looked up).
 */
const RECONCILE_CONTEXT = {
  name: 'berth_reconcile_context',
  text: `SELECT ${ENVIRONMENT_STATE_COLUMNS},
      c.id AS cluster_row_id, c.name AS cluster_name, c.version AS cluster_version, c.credentials_ciphertext AS cluster_credentials_ciphertext,
      c.labels AS cluster_labels, c.ingress_class_name AS cluster_ingress_class_name,
      q.team_id AS quota_team_id, q.max_cpu_millis AS quota_max_cpu_millis, q.max_memory_mib AS quota_max_memory_mib, q.used_cpu_millis AS quota_used_cpu_millis,
      q.used_memory_mib AS quota_used_memory_mib, q.max_replicas_per_process AS quota_max_replicas_per_process,
      coalesce((SELECT json_agg(json_build_object('id', r.id, 'number', r.number, 'image', r.image, 'configCiphertext', r.config_ciphertext,
          'phase', r.phase, 'reason', r.reason, 'createdAt', r.created_at::text) ORDER BY r.number DESC)
        FROM (SELECT * FROM releases r WHERE r.team_id = e.team_id AND r.environment_id = e.id ORDER BY r.number DESC LIMIT 2) r), '[]'::json) AS releases,
      EXISTS (SELECT 1 FROM registry_credentials g WHERE g.team_id = e.team_id) AS has_registry_logins
    ${ENVIRONMENT_STATE_FROM}
    LEFT JOIN clusters c ON c.id = e.cluster_id
    LEFT JOIN team_quotas q ON q.team_id = e.team_id
    WHERE e.id = ANY($1::uuid[])`,
};

/** A reconcile's other reads, prepared for the same reason (each runs once per reconcile, outside any transaction). */
const LATEST_RELEASES = {
  name: 'berth_latest_releases',
  text: `SELECT id, number, image, config_ciphertext, phase, reason, created_at FROM releases
    WHERE team_id = $1::uuid AND environment_id = $2::uuid ORDER BY number DESC LIMIT $3`,
};
const SYNC_STATES = {
  name: 'berth_sync_states',
  text: 'SELECT id, cluster_id, state::text AS state, desired_generation, applied_generation, applied_objects FROM environments WHERE id = ANY($1::uuid[])',
};
const CLUSTER_OF = { name: 'berth_reconcile_cluster', text: 'SELECT id, name, version, credentials_ciphertext, labels, ingress_class_name FROM clusters WHERE id = $1::uuid' };

/**
 * See recordApplied: $1 the leases (JSON: cluster_id, holder, epoch), $2 the applies (JSON: id,
 * team_id, generation, applied_objects, and the cluster_id and epoch of their lease; $4 their ids again, for the planner: see
 * SETTLE_STATUSES), $3 the jobs that follow them (JSON, may be empty): a job is added only for an
 * environment whose apply was recorded (its payload's environmentId), a batch look (environmentIds)
 * when its cluster's lease held, and none under a lease that did not hold.
 */
const RECORD_APPLIED = {
  name: 'berth_record_applied_leases',
  text: `WITH leases AS (SELECT * FROM json_to_recordset($1::json) AS l(cluster_id uuid, holder text, epoch int8)),
    held AS (
      SELECT c.cluster_id, c.epoch FROM cluster_leases c JOIN leases l ON c.cluster_id = l.cluster_id AND c.holder = l.holder AND c.epoch = l.epoch
      WHERE c.expires_at > now()
      FOR SHARE OF c),
    applies AS (SELECT * FROM json_to_recordset($2::json) AS r(id uuid, team_id uuid, generation int, applied_objects text[], cluster_id uuid, epoch int8)),
    applied AS (
      UPDATE environments e
      SET applied_generation = GREATEST(e.applied_generation, r.generation), applied_objects = r.applied_objects, last_applied_at = now(), last_sync_error = NULL
      FROM applies r
      WHERE e.id = r.id AND e.id = ANY($4::uuid[]) AND e.team_id = r.team_id AND (r.cluster_id, r.epoch) IN (SELECT cluster_id, epoch FROM held)
      RETURNING e.id),
    queued AS (${addJobsSql('$3', "((j->'payload'->>'environmentId')::uuid IN (SELECT id FROM applied) OR (j->'payload'->'environmentIds' IS NOT NULL AND (j->'payload'->>'clusterId')::uuid IN (SELECT cluster_id FROM held)))")})
    SELECT ARRAY(SELECT cluster_id::text || '/' || epoch FROM held) AS held, ARRAY(SELECT id::text FROM applied) AS recorded, ARRAY(SELECT key FROM queued) AS queued`,
};

/** One apply to record (recordApplied). */
export interface AppliedRecord {
  teamId: string;
  environmentId: string;
  generation: number;
  appliedObjects: string[];
  /** The lease of the cluster it was applied to, as the worker held it. */
  lease: { clusterId: string; holder: string; epoch: number };
}

/**
 * See settleStatuses: $1 the environments (JSON: environment_id, team_id, replace, value, and the
 * release's release_id, phase, reason, message), $2 the time, $3 the phases that are final, $4 and $5
 * the environments' and releases' ids again (json_to_recordset's rows are a guess to the planner:
 * the arrays let it look the rows up by primary key rather than scan the tables).
 */
const SETTLE_STATUSES = {
  name: 'berth_settle_statuses',
  text: `WITH input AS (
      SELECT * FROM json_to_recordset($1::json) AS i(environment_id uuid, team_id uuid, replace boolean, value jsonb, release_id uuid, phase text, reason text, message text)),
    env AS (
      UPDATE environments e
      SET observed_status = CASE WHEN i.replace THEN i.value
            ELSE coalesce(e.observed_status, '{"processes": [], "pods": [], "observed_at": null, "verified": false}'::jsonb) || i.value END,
          updated_at = CASE WHEN i.replace THEN $2::timestamptz ELSE e.updated_at END
      FROM input i
      WHERE e.id = i.environment_id AND e.id = ANY($4::uuid[]) AND e.team_id = i.team_id
      RETURNING e.team_id, e.id),
    env_notified AS (
      SELECT count(pg_notify('berth_environment_status', json_build_object('team_id', team_id::text, 'environment_id', id::text)::text)) AS n FROM env),
    -- After every environment row (env_notified needs all of env): the order a new release takes them.
    rel AS (
      UPDATE releases r SET phase = i.phase, reason = i.reason, message = i.message, phase_updated_at = $2::timestamptz
      FROM input i
      WHERE r.id = i.release_id AND r.id = ANY($5::uuid[]) AND r.team_id = i.team_id AND r.environment_id = i.environment_id AND r.phase <> ALL($3::text[])
        AND NOT (r.phase = i.phase AND r.reason IS NOT DISTINCT FROM i.reason AND r.message IS NOT DISTINCT FROM i.message)
        AND EXISTS (SELECT 1 FROM env_notified WHERE n > 0) AND i.environment_id IN (SELECT id FROM env)
      RETURNING r.team_id, r.environment_id, r.id, r.number),
    rel_notified AS (
      SELECT environment_id, pg_notify('berth_release_status', json_build_object('team_id', team_id, 'environment_id', environment_id, 'release_id', id, 'number', number)::text) FROM rel)
    SELECT (SELECT n FROM env_notified) AS environments_changed, ARRAY(SELECT environment_id::text FROM rel_notified) AS releases_changed`,
};

/** One environment's status, and its newest release's phase (null: leave the release), to settle. */
export interface StatusToSettle {
  teamId: string;
  environmentId: string;
  /** True: the whole status (a live observation); false: merged into the last one. */
  replace: boolean;
  value: object;
  release: { id: string; phase: string; reason: string | null; message: string | null } | null;
}

/** What a reconcile needs of its cluster: where it is, how to reach it, what places and routes there. */
export interface ReconcileCluster {
  id: string;
  name: string;
  version: number;
  credentialsCiphertext: string;
  labels: unknown;
  ingressClassName: string | null;
}


interface EnvironmentStateRow {
  id: string;
  team_id: string;
  name: string;
  production: boolean;
  auto_rollback: boolean;
  state: 'active' | 'deleting';
  cluster_id: string | null;
  cluster_selector: unknown;
  desired_generation: number;
  applied_generation: number;
  applied_objects: string[];
  restarted_at: Date | null;
  security_profile: string;
  failure_restart_threshold: number;
  progress_deadline_seconds: number;
  app_id: string;
  app_name: string;
  app_state: 'active' | 'deleting';
  app_team_id: string;
  app_team_name: string;
  process_types: EnvironmentState['processTypes'];
  domains: EnvironmentState['domains'];
}

/**
 * pg's own parser for timestamptz, for one sent as text inside JSON: exactly the Date pg makes of the
 * column read directly (new Date() of the ISO text can differ by a millisecond: pg's parser
 * multiplies the fraction in floating point, 0.57 s → 569.99… → 569 ms).
 */
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/** What a reconcile starts from (loadReconcile). */
export interface ReconcileContext {
  state: EnvironmentState;
  cluster: ReconcileCluster | null;
  /** The two newest releases, newest first. */
  releases: ReleaseState[];
  quota: QuotaRow | null;
  /** Whether the team registered any registry login (none: no image pull Secret to look up). */
  hasRegistryLogins: boolean;
}

interface ReconcileContextRow extends EnvironmentStateRow {
  cluster_row_id: string | null;
  cluster_name: string | null;
  cluster_version: number | null;
  cluster_credentials_ciphertext: string | null;
  cluster_labels: unknown;
  cluster_ingress_class_name: string | null;
  quota_team_id: string | null;
  quota_max_cpu_millis: number | null;
  quota_max_memory_mib: number | null;
  quota_used_cpu_millis: number | null;
  quota_used_memory_mib: number | null;
  quota_max_replicas_per_process: number | null;
  releases: Array<Omit<ReleaseState, 'createdAt'> & { createdAt: string }>;
  has_registry_logins: boolean;
}

@Injectable()
export class WorkloadsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * What a reconcile starts from (outside a transaction, where reconciles run): the environment,
   * its cluster (null when unplaced or gone), its two newest releases (newest first) and its team's
   * quota (as loadEnvironment, clusterOf and latestReleases(…, 2) read the first three), in one statement.
   */
  async loadReconcile(environmentId: string): Promise<ReconcileContext | null> {
    return (await this.loadReconciles([environmentId]))[0] ?? null;
  }

  /** The same for many environments in one statement (a batch reconciled together); absent ones are left out. */
  async loadReconciles(environmentIds: readonly string[]): Promise<ReconcileContext[]> {
    const rows = await this.prisma.query<ReconcileContextRow>(RECONCILE_CONTEXT, [environmentIds]);
    return rows.map((row) => ({
      state: environmentState(row),
      cluster: row.cluster_row_id
        ? { id: row.cluster_row_id, name: row.cluster_name!, version: row.cluster_version!, credentialsCiphertext: row.cluster_credentials_ciphertext!, labels: row.cluster_labels, ingressClassName: row.cluster_ingress_class_name }
        : null,
      releases: row.releases.map((r) => ({ ...r, createdAt: parseTimestamptz(r.createdAt) })),
      quota: row.quota_team_id
        ? { maxCpuMillis: row.quota_max_cpu_millis!, maxMemoryMib: row.quota_max_memory_mib!, usedCpuMillis: row.quota_used_cpu_millis!, usedMemoryMib: row.quota_used_memory_mib!, maxReplicasPerProcess: row.quota_max_replicas_per_process! }
        : null,
      hasRegistryLogins: row.has_registry_logins,
    }));
  }

  async loadEnvironment(environmentId: string): Promise<EnvironmentState | null> {
    if (!this.tx.inTransaction) {
      const [row] = await this.prisma.query<EnvironmentStateRow>(ENVIRONMENT_STATE, [environmentId]);
      return row ? environmentState(row) : null;
    }
    return this.tx.db.environment.findUnique({
      where: { id: environmentId },
      select: {
        id: true,
        teamId: true,
        name: true,
        production: true,
        autoRollback: true,
        state: true,
        clusterId: true,
        clusterSelector: true,
        desiredGeneration: true,
        appliedGeneration: true,
        appliedObjects: true,
        restartedAt: true,
        securityProfile: true,
        failureRestartThreshold: true,
        progressDeadlineSeconds: true,
        app: { select: { id: true, name: true, state: true, team: { select: { id: true, name: true } } } },
        processTypes: { orderBy: { type: 'asc' }, select: { type: true, command: true, replicas: true, size: true, autoscaleMin: true, autoscaleMax: true, autoscaleTargetCpu: true, port: true, healthCheckPath: true } },
        domains: { orderBy: { hostname: 'asc' }, select: { hostname: true } },
      },
    });
  }

  async latestReleases(teamId: string, environmentId: string, count: number): Promise<ReleaseState[]> {
    if (!this.tx.inTransaction) {
      const rows = await this.prisma.query<{ id: string; number: number; image: string; config_ciphertext: string; phase: string; reason: string | null; created_at: Date }>(LATEST_RELEASES, [teamId, environmentId, count]);
      return rows.map((r) => ({ id: r.id, number: r.number, image: r.image, configCiphertext: r.config_ciphertext, phase: r.phase, reason: r.reason, createdAt: r.created_at }));
    }
    return this.tx.db.release.findMany({
      where: { teamId, environmentId },
      orderBy: { number: 'desc' },
      take: count,
      select: RELEASE_SELECT,
    });
  }

  async lastSucceededRelease(teamId: string, environmentId: string, before: number): Promise<ReleaseState | null> {
    return this.tx.db.release.findFirst({
      where: { teamId, environmentId, phase: 'succeeded', number: { lt: before } },
      orderBy: { number: 'desc' },
      select: RELEASE_SELECT,
    });
  }

  async setCluster(teamId: string, environmentId: string, clusterId: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId, clusterId: null }, data: { clusterId } });
  }

  /**
   * Records successful applies (each of its `generation`, never moving backwards when two workers
   * race) and queues what follows them, in ONE statement, each only if its cluster's lease is still
   * the worker's: the lease rows are share-locked until the statement commits (so none can change
   * hands between the check and the record), and a job exists exactly when the apply of its
   * environment is recorded. One prepared statement instead of a transaction of three per
   * environment (none of Prisma's interactive-transaction CPU: 0.1 ms against 2.6 ms per
   * reconcile, docs/performance.md), and one for a whole batch reconciled together, over any
   * number of clusters. Answers the leases that held, as `<clusterId>/<epoch>` (nothing was
   * recorded under the others), the environments recorded (one deleted meanwhile is not) and the keys of the jobs added.
   */
  async recordApplied(records: readonly AppliedRecord[], then: JobSpecs | null): Promise<{ held: Set<string>; recorded: string[]; queued: string[] }> {
    const leases = new Map(records.map((r) => [`${r.lease.clusterId}/${r.lease.holder}/${r.lease.epoch}`, { cluster_id: r.lease.clusterId, holder: r.lease.holder, epoch: r.lease.epoch }]));
    const applies = JSON.stringify(records.map((r) => ({ id: r.environmentId, team_id: r.teamId, generation: r.generation, applied_objects: r.appliedObjects, cluster_id: r.lease.clusterId, epoch: r.lease.epoch })));
    const [row] = await this.prisma.query<{ held: string[]; recorded: string[]; queued: string[] }>(RECORD_APPLIED, [JSON.stringify([...leases.values()]), applies, then?.json ?? '[]', records.map((r) => r.environmentId)]);
    return { held: new Set(row?.held ?? []), recorded: row?.recorded ?? [], queued: row?.queued ?? [] };
  }

  async recordSyncError(teamId: string, environmentId: string, message: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { lastSyncError: message.slice(0, 1000) } });
  }

  /**
   * Moves a release to a new phase, reason or message. A terminal phase is final: a release that
   * succeeded, failed or was superseded never moves again (the environment's status shows live state).
   */
  async setReleasePhase(teamId: string, releaseId: string, phase: string, reason: string | null, message: string | null): Promise<boolean> {
    const text = message?.slice(0, 1000) ?? null;
    // One statement: the change and its notification (a status is written on every step of a rollout).
    const [row] = await this.tx.db.$queryRaw<Array<{ changed: bigint }>>`
      WITH changed AS (
        UPDATE releases SET phase = ${phase}, reason = ${reason}, message = ${text}, phase_updated_at = ${new Date()}
        WHERE id = ${releaseId}::uuid AND team_id = ${teamId}::uuid AND phase <> ALL(${[...TERMINAL_PHASES]}::text[])
          AND NOT (phase = ${phase} AND reason IS NOT DISTINCT FROM ${reason} AND message IS NOT DISTINCT FROM ${text})
        RETURNING team_id, environment_id, id, number)
      SELECT count(pg_notify('berth_release_status', json_build_object('team_id', team_id, 'environment_id', environment_id, 'release_id', id, 'number', number)::text)) AS changed FROM changed`;
    return Number(row?.changed ?? 0) > 0;
  }

  /**
   * The environment's status and its newest release's phase in ONE prepared statement (outside a
   * transaction; inside one, the same three writes through it): `status.replace` sets the whole
   * status (a live observation), otherwise it is merged into the last one (Berth's own bookkeeping
   * keeps the last observation of processes and pods). The environment row is locked before the
   * release's (the order a new release takes them), each write notifies its channel, and a release
   * that already ended never moves. True when the release changed. Every step of every rollout
   * writes this: one statement is a tenth of the CPU of a Prisma transaction (docs/performance.md).
   */
  async settleStatus(teamId: string, environmentId: string, status: { replace: boolean; value: object }, release: { id: string; phase: string; reason: string | null; message: string | null } | null): Promise<boolean> {
    if (this.tx.inTransaction) {
      if (status.replace) await this.setObservedStatus(teamId, environmentId, status.value as Prisma.InputJsonValue);
      else await this.mergeObservedStatus(teamId, environmentId, status.value as { phase: string; reason: string | null; message: string | null; release: number | null });
      return release ? this.setReleasePhase(teamId, release.id, release.phase, release.reason, release.message) : false;
    }
    return (await this.settleStatuses([{ teamId, environmentId, ...status, release }])).has(environmentId);
  }

  /**
   * settleStatus for many environments in ONE statement (outside a transaction: the looks of a batch).
   * Answers the environments whose release changed.
   */
  async settleStatuses(items: readonly StatusToSettle[]): Promise<Set<string>> {
    if (!items.length) return new Set();
    const input = items.map((i) => ({
      environment_id: i.environmentId,
      team_id: i.teamId,
      replace: i.replace,
      value: i.value,
      release_id: i.release?.id ?? null,
      phase: i.release?.phase ?? null,
      reason: i.release?.reason ?? null,
      message: i.release?.message?.slice(0, 1000) ?? null,
    }));
    const releaseIds = items.flatMap((i) => (i.release ? [i.release.id] : []));
    const [row] = await this.prisma.query<{ releases_changed: string[] }>(SETTLE_STATUSES, [JSON.stringify(input), new Date(), [...TERMINAL_PHASES], items.map((i) => i.environmentId), releaseIds]);
    return new Set(row?.releases_changed ?? []);
  }

  /** The newest release, whatever its phase (the one the environment is converging to). */
  async newestRelease(teamId: string, environmentId: string): Promise<ReleaseState | null> {
    return (await this.latestReleases(teamId, environmentId, 1))[0] ?? null;
  }

  async setObservedStatus(teamId: string, environmentId: string, status: Prisma.InputJsonValue): Promise<void> {
    await this.tx.db.$queryRaw`
      WITH changed AS (
        UPDATE environments SET observed_status = ${JSON.stringify(status)}::jsonb, updated_at = ${new Date()}
        WHERE id = ${environmentId}::uuid AND team_id = ${teamId}::uuid RETURNING team_id, id)
      SELECT count(pg_notify('berth_environment_status', json_build_object('team_id', team_id::text, 'environment_id', id::text)::text)) FROM changed`;
  }

  /** Sets phase, reason, message and release on the environment's status, keeping the rest (its last live observation). */
  async mergeObservedStatus(teamId: string, environmentId: string, patch: { phase: string; reason: string | null; message: string | null; release: number | null }): Promise<void> {
    await this.tx.db.$queryRaw`
      WITH changed AS (
        UPDATE environments
        SET observed_status = coalesce(observed_status, '{"processes": [], "pods": [], "observed_at": null, "verified": false}'::jsonb) || ${JSON.stringify(patch)}::jsonb
        WHERE id = ${environmentId}::uuid AND team_id = ${teamId}::uuid RETURNING team_id, id)
      SELECT count(pg_notify('berth_environment_status', json_build_object('team_id', team_id::text, 'environment_id', id::text)::text)) FROM changed`;
  }

  /**
   * Keeps the last observation but says it may be stale, and why (once: a repeated call keeps the
   * first message, whose "since" matters).
   */
  async markStatusUnverified(teamId: string, environmentId: string, reason: string, message: string): Promise<void> {
    const count = await this.tx.db.$executeRaw`
      UPDATE environments
      SET observed_status = coalesce(observed_status, '{"phase": "pending", "processes": [], "pods": [], "observed_at": null}'::jsonb) || jsonb_build_object('verified', false, 'reason', ${reason}::text, 'message', ${message}::text)
      WHERE id = ${environmentId}::uuid AND team_id = ${teamId}::uuid AND observed_status->>'reason' IS DISTINCT FROM ${reason}::text`;
    if (count > 0) await this.tx.db.$executeRaw`SELECT pg_notify('berth_environment_status', json_build_object('team_id', ${teamId}::text, 'environment_id', ${environmentId}::text)::text)`;
  }

  /** After a restart: every environment's status is unverified until the observer has read the cluster again. */
  async markAllUnverified(): Promise<number> {
    return this.tx.db.$executeRaw`
      UPDATE environments SET observed_status = observed_status || '{"verified": false}'::jsonb
      WHERE observed_status IS NOT NULL AND (observed_status->>'verified') IS DISTINCT FROM 'false'`;
  }

  async recordDrift(teamId: string, environmentId: string, objectKey: string, kind: string): Promise<void> {
    await this.tx.db.driftEvent.create({ data: { teamId, environmentId, objectKey, kind } });
  }

  /** Environments still waiting for a cluster (their reconcile retries until one fits). */
  async unplacedEnvironmentIds(): Promise<string[]> {
    return (await this.tx.db.environment.findMany({ where: { clusterId: null, state: 'active' }, select: { id: true } })).map((e) => e.id);
  }

  /** Environments a resync of these clusters covers: theirs, and those waiting for a cluster. */
  /** The environments of these clusters and the unplaced ones, with where each lives. */
  async environmentIdsFor(clusterIds: string[]): Promise<Array<{ id: string; clusterId: string | null }>> {
    return this.tx.db.environment.findMany({ where: { OR: [{ clusterId: null }, { clusterId: { in: clusterIds } }] }, select: { id: true, clusterId: true }, orderBy: { id: 'asc' } });
  }

  /** What a resync compares, for a batch of environments, in one query. */
  /**
   * Where each environment is and how far it is applied (a resync compares these with the informer
   * cache; a batch splits by cluster owner): one prepared statement, read outside a transaction.
   */
  async syncStates(environmentIds: readonly string[]): Promise<Array<{ id: string; clusterId: string | null; state: string; desiredGeneration: number; appliedGeneration: number; appliedObjects: string[] }>> {
    const rows = await this.prisma.query<{ id: string; cluster_id: string | null; state: string; desired_generation: number; applied_generation: number; applied_objects: string[] }>(SYNC_STATES, [environmentIds]);
    return rows.map((r) => ({ id: r.id, clusterId: r.cluster_id, state: r.state, desiredGeneration: r.desired_generation, appliedGeneration: r.applied_generation, appliedObjects: r.applied_objects }));
  }

  async activeEnvironmentIds(): Promise<string[]> {
    return (await this.tx.db.environment.findMany({ select: { id: true } })).map((e) => e.id);
  }

  /** Once the cluster confirms the namespace is gone, the record goes (and the app with its last environment). */
  async deleteEnvironmentRecord(teamId: string, environmentId: string): Promise<void> {
    const env = await this.tx.db.environment.findFirst({ where: { id: environmentId, teamId }, select: { appId: true, app: { select: { state: true } } } });
    if (!env) return;
    await this.tx.db.environment.deleteMany({ where: { id: environmentId, teamId } });
    if (env.app.state === 'deleting' && (await this.tx.db.environment.count({ where: { appId: env.appId, teamId } })) === 0) {
      await this.tx.db.app.deleteMany({ where: { id: env.appId, teamId } });
    }
  }

  async clusterOf(clusterId: string): Promise<ReconcileCluster | null> {
    const [row] = await this.prisma.query<{ id: string; name: string; version: number; credentials_ciphertext: string; labels: unknown; ingress_class_name: string | null }>(CLUSTER_OF, [clusterId]);
    return row ? { id: row.id, name: row.name, version: row.version, credentialsCiphertext: row.credentials_ciphertext, labels: row.labels, ingressClassName: row.ingress_class_name } : null;
  }

}

function environmentState(row: EnvironmentStateRow): EnvironmentState {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    production: row.production,
    autoRollback: row.auto_rollback,
    state: row.state,
    clusterId: row.cluster_id,
    clusterSelector: row.cluster_selector,
    desiredGeneration: row.desired_generation,
    appliedGeneration: row.applied_generation,
    appliedObjects: row.applied_objects,
    restartedAt: row.restarted_at,
    securityProfile: row.security_profile,
    failureRestartThreshold: row.failure_restart_threshold,
    progressDeadlineSeconds: row.progress_deadline_seconds,
    app: { id: row.app_id, name: row.app_name, state: row.app_state, team: { id: row.app_team_id, name: row.app_team_name } },
    processTypes: row.process_types,
    domains: row.domains,
  };
}

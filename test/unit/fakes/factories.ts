// Defaults for the unit tier: records and actors with every field filled, overridable per test,
// and a transaction host that just runs the work (no database).
import type { Actor } from '../../../src/common/auth/actor.js';
import type { TransactionHost } from '../../../src/database/prisma.service.js';
import type { ClusterRecord } from '../../../src/modules/clusters/clusters.repository.js';
import type { EnvironmentState } from '../../../src/modules/workloads/workloads.repository.js';

let sequence = 0;
const next = () => (sequence += 1);

export function anAdmin(over: Partial<Actor> = {}): Actor {
  return { type: 'user', userId: 'admin-1', name: 'Ada', email: 'ada@example.com', isPlatformAdmin: true, teamRoles: new Map(), ...over };
}

export function aMember(over: Partial<Actor> = {}): Actor {
  return anAdmin({ userId: 'member-1', name: 'Max', email: 'max@example.com', isPlatformAdmin: false, ...over });
}

export function aCluster(over: Partial<ClusterRecord> = {}): ClusterRecord {
  const n = next();
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id: `cluster-${n}`,
    name: `c${n}`,
    apiUrl: `https://c${n}.example:6443`,
    credentialsCiphertext: 'sealed',
    labels: {},
    sandbox: false,
    cordoned: false,
    ingressClassName: null,
    reachable: true,
    serverVersion: 'v1.32.0',
    lastError: null,
    lastProbedAt: at,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

/** An environment as the reconciler loads it: unplaced, one generation behind, nothing applied yet. */
export function anEnvironmentState(over: Partial<EnvironmentState> = {}): EnvironmentState {
  return {
    id: 'env-1',
    teamId: 'team-1',
    name: 'prod',
    production: true,
    autoRollback: false,
    state: 'active',
    clusterId: null,
    clusterSelector: { region: 'eu' },
    desiredGeneration: 2,
    appliedGeneration: 1,
    appliedObjects: [],
    restartedAt: null,
    securityProfile: 'restricted',
    failureRestartThreshold: 3,
    progressDeadlineSeconds: 600,
    app: { id: 'app-1', name: 'shop', state: 'active', team: { id: 'team-1', name: 'core' } },
    processTypes: [],
    domains: [],
    ...over,
  };
}

/** Runs the work directly, counting transactions (a service must not open more than it says). */
export class FakeTransactionHost {
  transactions = 0;
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.transactions += 1;
    return fn();
  }
  asHost(): TransactionHost {
    return this as unknown as TransactionHost;
  }
}

// Defaults for the unit tier: records and actors with every field filled, overridable per test,
// and a transaction host that just runs the work (no database).
import type { Actor } from '../../../src/common/auth/actor.js';
import type { TransactionHost } from '../../../src/database/prisma.service.js';
import type { ClusterRecord } from '../../../src/modules/clusters/clusters.repository.js';

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

// Where an environment runs: an explicitly named cluster, or the best match for a label selector.
// The ranking is a pure function so its rules (selector, cordon, health, load) are unit-tested alone.
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { ClustersRepository, type ClusterRecord } from './clusters.repository.js';

export interface PlacementCandidate {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  cordoned: boolean;
  reachable: boolean;
  /** Environments placed on it now. */
  environments: number;
}

export interface PlacementRequest {
  /** A cluster name or id the caller asked for; it must exist and take placements. */
  explicitCluster?: string;
  /** Every key must be a label of the cluster with exactly this value. */
  selector?: Readonly<Record<string, string>>;
  /** Clusters that must not be chosen (e.g. the one being drained). */
  excludeClusterIds?: readonly string[];
}

export function matchesSelector(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

/**
 * Clusters that may take a new environment, best first: non-cordoned ones matching the selector;
 * reachable before unreachable (an unreachable cluster can still take it and catch up later),
 * then the least loaded, then by name so the choice is stable.
 */
export function rankClusters<T extends PlacementCandidate>(candidates: readonly T[], selector?: Readonly<Record<string, string>>): T[] {
  return candidates
    .filter((c) => !c.cordoned && matchesSelector(c.labels, selector))
    .sort((a, b) => Number(b.reachable) - Number(a.reachable) || a.environments - b.environments || compareNames(a.name, b.name));
}

/**
 * Why no cluster can take an environment, for a person to act on: none registered, none carrying the
 * selector's labels (naming it), or matches that are all cordoned (naming them).
 */
export function placementRefusal(candidates: readonly PlacementCandidate[], selector: Readonly<Record<string, string>> = {}): string {
  const pairs = Object.entries(selector);
  const shown = `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
  if (candidates.length === 0) return 'no cluster is registered: a platform admin must register one; Berth places the environment as soon as one is';
  const matching = candidates.filter((c) => matchesSelector(c.labels, selector));
  if (matching.length === 0) {
    return `no cluster matches selector ${shown} (${candidates.length} registered, none with these labels): label a cluster to match, or change the environment's cluster_selector; Berth places the environment as soon as one fits`;
  }
  const cordoned = [...matching].sort((a, b) => compareNames(a.name, b.name)).map((c) => c.name);
  return `${pairs.length ? `every cluster matching selector ${shown}` : 'every cluster'} is cordoned (${cordoned.join(', ')}): a platform admin can uncordon one or register another; Berth places the environment as soon as one can take it`;
}

/** Code-point order, not locale order: the same on every machine. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Labels are stored as JSON; anything that is not a string map counts as no labels. */
export function labelsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function toCandidate(cluster: ClusterRecord, load: ReadonlyMap<string, number>): PlacementCandidate {
  return { id: cluster.id, name: cluster.name, labels: labelsOf(cluster.labels), cordoned: cluster.cordoned, reachable: cluster.reachable, environments: load.get(cluster.id) ?? 0 };
}

@Injectable()
export class PlacementService {
  constructor(private readonly clusters: ClustersRepository) {}

  /**
   * The id of the cluster a new (or moved) environment goes to. Throws validation-failed naming
   * `cluster` when the named cluster is unknown or cordoned, and `cluster_selector` when no cluster
   * can take it. Reads through the caller's transaction when there is one.
   */
  async choose(request: PlacementRequest = {}): Promise<string> {
    if (request.explicitCluster !== undefined) {
      const cluster = await this.explicit(request.explicitCluster);
      if (request.excludeClusterIds?.includes(cluster.id)) throw DomainError.invalid('cluster', `cluster "${cluster.name}" cannot take it`);
      return cluster.id;
    }
    const best = await this.candidates(request);
    if (!best) throw DomainError.invalid('cluster_selector', `no cluster matches${describe(request.selector)}`);
    return best.id;
  }

  /**
   * The explicit-cluster rule: the named cluster (name or id) must exist and take placements.
   * Problems name `cluster`.
   */
  async explicit(ref: string): Promise<ClusterRecord> {
    const cluster = await this.clusters.findByRef(ref);
    if (!cluster) throw DomainError.invalid('cluster', `no cluster "${ref}" is registered`);
    if (cluster.cordoned) throw DomainError.invalid('cluster', `cluster "${cluster.name}" is cordoned and takes no new environments`);
    return cluster;
  }

  /** The cluster an environment is placed on, for rules that depend on it (allowed security profiles). */
  async placedOn(clusterId: string): Promise<ClusterRecord | null> {
    return this.clusters.findById(clusterId);
  }

  /** The selector rule for the reconciler: the best cluster, or why none can take it (for a person). */
  async bySelector(clusterSelector: unknown): Promise<{ clusterId: string } | { clusterId: null; reason: string }> {
    const [all, load] = await Promise.all([this.clusters.all(), this.clusters.environmentCounts()]);
    const candidates = all.map((c) => toCandidate(c, load));
    const selector = labelsOf(clusterSelector);
    const best = rankClusters(candidates, selector)[0];
    return best ? { clusterId: best.id } : { clusterId: null, reason: placementRefusal(candidates, selector) };
  }

  /** Like choose without an explicit cluster, but null instead of a problem when none fits (a drain strands it). */
  async best(request: Omit<PlacementRequest, 'explicitCluster'> = {}): Promise<string | null> {
    return (await this.candidates(request))?.id ?? null;
  }

  private async candidates(request: PlacementRequest): Promise<PlacementCandidate | undefined> {
    const [all, load] = await Promise.all([this.clusters.all(), this.clusters.environmentCounts()]);
    const excluded = new Set(request.excludeClusterIds ?? []);
    return rankClusters(all.filter((c) => !excluded.has(c.id)).map((c) => toCandidate(c, load)), request.selector)[0];
  }
}

function describe(selector: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(selector ?? {});
  return pairs.length ? ` the selector ${pairs.map(([k, v]) => `${k}=${v}`).join(',')} (or every match is cordoned)` : ' (every cluster is cordoned, or none is registered)';
}

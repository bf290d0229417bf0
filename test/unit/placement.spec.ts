import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../src/common/errors/domain-error.js';
import type { ClusterRecord, ClustersRepository } from '../../src/modules/clusters/clusters.repository.js';
import { labelsOf, matchesSelector, PlacementService, placementRefusal, rankClusters, type PlacementCandidate } from '../../src/modules/clusters/placement.service.js';

const cluster = (name: string, over: Partial<PlacementCandidate> = {}): PlacementCandidate => ({
  id: `id-${name}`,
  name,
  labels: {},
  cordoned: false,
  reachable: true,
  environments: 0,
  ...over,
});
const names = (ranked: PlacementCandidate[]) => ranked.map((c) => c.name);

describe('rankClusters', () => {
  it('keeps only clusters carrying every selector label with the same value', () => {
    const all = [cluster('a', { labels: { region: 'eu', tier: 'gpu' } }), cluster('b', { labels: { region: 'eu' } }), cluster('c', { labels: { region: 'us', tier: 'gpu' } })];
    expect(names(rankClusters(all, { region: 'eu' }))).toEqual(['a', 'b']);
    expect(names(rankClusters(all, { region: 'eu', tier: 'gpu' }))).toEqual(['a']);
    expect(names(rankClusters(all, { region: 'ap' }))).toEqual([]);
    expect(names(rankClusters(all, {}))).toEqual(['a', 'b', 'c']);
    expect(names(rankClusters(all))).toEqual(['a', 'b', 'c']);
  });

  it('never offers a cordoned cluster, even the only match', () => {
    expect(names(rankClusters([cluster('a', { cordoned: true }), cluster('b', { environments: 50 })]))).toEqual(['b']);
    expect(rankClusters([cluster('a', { cordoned: true, labels: { region: 'eu' } })], { region: 'eu' })).toEqual([]);
  });

  it('prefers the least loaded cluster, then the name', () => {
    expect(names(rankClusters([cluster('a', { environments: 3 }), cluster('b', { environments: 1 }), cluster('c', { environments: 2 })]))).toEqual(['b', 'c', 'a']);
    expect(names(rankClusters([cluster('zeta'), cluster('alpha'), cluster('Beta')]))).toEqual(['Beta', 'alpha', 'zeta']);
  });

  it('prefers reachable clusters over less loaded unreachable ones, but still offers unreachable ones', () => {
    const ranked = rankClusters([cluster('down', { reachable: false, environments: 0 }), cluster('busy', { environments: 9 })]);
    expect(names(ranked)).toEqual(['busy', 'down']);
    expect(names(rankClusters([cluster('down', { reachable: false })]))).toEqual(['down']);
  });

  it('does not reorder its input', () => {
    const all = [cluster('b'), cluster('a')];
    rankClusters(all);
    expect(names(all)).toEqual(['b', 'a']);
  });
});

describe('labels', () => {
  it('reads stored labels defensively', () => {
    expect(labelsOf({ a: 'b', n: 1 })).toEqual({ a: 'b' });
    expect(labelsOf(null)).toEqual({});
    expect(labelsOf(['a'])).toEqual({});
    expect(matchesSelector({ a: 'b' }, undefined)).toBe(true);
    expect(matchesSelector({}, { a: '' })).toBe(false);
  });
});

describe('PlacementService.choose', () => {
  const record = (name: string, over: Partial<ClusterRecord> = {}): ClusterRecord => ({
    id: `id-${name}`, name, apiUrl: 'https://k', credentialsCiphertext: 'x', labels: {}, sandbox: false, cordoned: false, ingressClassName: null,
    reachable: true, serverVersion: 'v1.32.0', lastError: null, lastProbedAt: null, version: 1, createdAt: new Date(), updatedAt: new Date(), ...over,
  });
  const service = (records: ClusterRecord[], load: Record<string, number> = {}) =>
    new PlacementService({
      all: async () => records,
      environmentCounts: async () => new Map(Object.entries(load)),
      findByRef: async (ref: string) => records.find((r) => r.name === ref || r.id === ref) ?? null,
    } as unknown as ClustersRepository);
  const problem = async (p: Promise<unknown>) => {
    const error = await p.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return { code: (error as DomainError).code, field: (error as DomainError).options.field };
  };

  it('takes an explicit cluster by name or id when it exists and is not cordoned', async () => {
    const s = service([record('a'), record('b', { cordoned: true })]);
    await expect(s.choose({ explicitCluster: 'a' })).resolves.toBe('id-a');
    await expect(s.choose({ explicitCluster: 'id-a' })).resolves.toBe('id-a');
    expect(await problem(s.choose({ explicitCluster: 'b' }))).toEqual({ code: 'validation-failed', field: 'cluster' });
    expect(await problem(s.choose({ explicitCluster: 'nope' }))).toEqual({ code: 'validation-failed', field: 'cluster' });
  });

  it('otherwise ranks the selector matches, and names cluster_selector when none fits', async () => {
    const s = service([record('a', { labels: { region: 'eu' } }), record('b', { labels: { region: 'eu' } }), record('c', { labels: { region: 'us' } })], { 'id-a': 2, 'id-b': 1 });
    await expect(s.choose({ selector: { region: 'eu' } })).resolves.toBe('id-b');
    await expect(s.choose({ selector: { region: 'eu' }, excludeClusterIds: ['id-b'] })).resolves.toBe('id-a');
    await expect(s.choose()).resolves.toBe('id-c');
    expect(await problem(s.choose({ selector: { region: 'ap' } }))).toEqual({ code: 'validation-failed', field: 'cluster_selector' });
    expect(await problem(service([]).choose())).toEqual({ code: 'validation-failed', field: 'cluster_selector' });
    await expect(service([]).best()).resolves.toBeNull();
  });
});

describe('placementRefusal', () => {
  it('says why nothing fits: none registered, no labels match (naming the selector), or every match cordoned (naming them)', () => {
    expect(placementRefusal([], { tier: 'gold' })).toMatch(/^no cluster is registered/);
    const all = [cluster('eu-2', { labels: { tier: 'gold' }, cordoned: true }), cluster('eu-1', { labels: { tier: 'gold' }, cordoned: true }), cluster('us-1', { labels: { tier: 'silver' } })];
    expect(placementRefusal(all, { tier: 'platinum', region: 'eu' })).toMatch(/^no cluster matches selector \{tier: platinum, region: eu\} \(3 registered, none with these labels\): .*cluster_selector/);
    expect(placementRefusal(all, { tier: 'gold' })).toMatch(/^every cluster matching selector \{tier: gold\} is cordoned \(eu-1, eu-2\): .*uncordon/);
    expect(placementRefusal([cluster('a', { cordoned: true })])).toMatch(/^every cluster is cordoned \(a\)/);
  });
});

// Name and quantity helpers of the renderers: Ingress names (DNS-safe, readable when possible,
// never colliding) and canonical resource quantities (what the API server reads back).
import { describe, expect, it } from '@jest/globals';
import { ingressName, releaseSecretName } from '../../../src/modules/workloads/render/names.js';
import { cpuQuantity, memoryQuantity } from '../../../src/modules/workloads/render/quantity.js';
import { renderEnvironment } from '../../../src/modules/workloads/render/render-environment.js';
import { CASES } from './cases.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('ingressName', () => {
  it('is readable when the hostname maps back unambiguously', () => {
    expect(ingressName('www.example.com')).toBe('domain-www-example-com');
    expect(ingressName('*.example.com')).toBe('domain-wildcard-example-com');
  });

  it('never collides: hyphens, a literal "wildcard" label, and long hosts get a digest', () => {
    const hosts = ['a-b.example.com', 'a.b-example.com', 'a.b.example.com', '*.example.com', 'wildcard.example.com', 'x.example.com', 'xn--bcher-kva.example.com', 'xn-bcher-kva.example.com'];
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.example.com`;
    hosts.push(long, long.replace(/b/g, 'c'), `${'a'.repeat(63)}.${'b'.repeat(62)}.example.com`);
    const names = hosts.map(ingressName);
    expect(new Set(names).size).toBe(new Set(hosts).size);
    for (const name of names) {
      expect(name).toMatch(DNS_LABEL);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(ingressName('a-b.example.com')).toMatch(/^domain-a-b-example-com--[0-9a-f]{8}$/);
  });

  it('is a pure function of the hostname', () => {
    expect(ingressName('shop.example.com')).toBe(ingressName('shop.example.com'));
    expect(ingressName(`${'x'.repeat(70)}.example.com`)).toBe(ingressName(`${'x'.repeat(70)}.example.com`));
  });

  it('keeps the long-names case within limits end to end', () => {
    const names = renderEnvironment(CASES['long-names']!).map((o) => o.metadata.name);
    expect(names.every((n) => n.length <= 63 && DNS_LABEL.test(n))).toBe(true);
    expect(CASES['long-names']!.environment.namespace).toHaveLength(63);
  });
});

describe('quantities', () => {
  it('renders CPU in the canonical form the API server stores', () => {
    expect([0, 1, 250, 1000, 1500, 2000, 16000, 1_000_000].map(cpuQuantity)).toEqual(['0', '1m', '250m', '1', '1500m', '2', '16', '1k']);
  });

  it('renders memory in the canonical binary form', () => {
    expect([0, 1, 512, 1024, 1536, 28672, 1024 * 1024].map(memoryQuantity)).toEqual(['0', '1Mi', '512Mi', '1Gi', '1536Mi', '28Gi', '1Ti']);
  });

  it('rejects what is not a count', () => {
    expect(() => cpuQuantity(-1)).toThrow(RangeError);
    expect(() => memoryQuantity(1.5)).toThrow(RangeError);
  });

  it('names release Secrets by number', () => {
    expect(releaseSecretName(42)).toBe('release-v42');
  });
});

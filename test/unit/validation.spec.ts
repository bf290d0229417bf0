import { describe, expect, it } from '@jest/globals';
import { parseImageReference } from '../../src/common/validation/image-reference.js';
import { configKeyProblem, dnsLabelProblem, hostnameProblem } from '../../src/common/validation/names.js';

describe('names', () => {
  it.each(['a', 'checkout', 'my-app-2', 'a'.repeat(40)])('accepts the DNS label %s', (name) => {
    expect(dnsLabelProblem(name, 40)).toBeUndefined();
  });
  it.each(['', 'Upper', '-lead', 'trail-', 'under_score', 'dot.ted', 'a'.repeat(41), '01a22269-daf6-7126-8ea1-4ea271d184b3'])('rejects %s', (name) => {
    expect(dnsLabelProblem(name, 40)).toEqual(expect.any(String));
  });
});

describe('config keys', () => {
  it.each(['DATABASE_URL', '_x', 'a1'])('accepts %s', (key) => expect(configKeyProblem(key)).toBeUndefined());
  it.each(['1ABC', 'WITH-DASH', 'SPACE KEY', '', 'PORT', 'BERTH_SECRET', 'KUBERNETES_SERVICE_HOST', 'X'.repeat(257)])('rejects %s', (key) =>
    expect(configKeyProblem(key)).toEqual(expect.any(String)),
  );
});

describe('hostnames', () => {
  it.each(['example.com', 'api.example.co.uk', '*.apps.example.com', 'a-b.example.io'])('accepts %s', (h) => expect(hostnameProblem(h)).toBeUndefined());
  it.each(['localhost', 'Example.com', 'exa_mple.com', '-a.example.com', 'a..b.com', '10.0.0.1', 'foo.*.example.com', `${'a'.repeat(64)}.com`])('rejects %s', (h) =>
    expect(hostnameProblem(h)).toEqual(expect.any(String)),
  );
});

describe('image references', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  it('normalises Docker Hub short names', () => {
    expect(parseImageReference('nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined });
    expect(parseImageReference('bitnami/redis:7.2')).toEqual({ registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2', digest: undefined });
  });
  it('keeps registry, port, tag and digest', () => {
    expect(parseImageReference(`registry.example.com:5000/team/app:1.2.3@${digest}`)).toEqual({
      registry: 'registry.example.com:5000',
      repository: 'team/app',
      tag: '1.2.3',
      digest,
    });
    expect(parseImageReference(`ghcr.io/acme/api@${digest}`)?.digest).toBe(digest);
    expect(parseImageReference('localhost/app:dev')?.registry).toBe('localhost');
  });
  it.each(['', 'UPPER/case', 'app:', 'app@sha256:short', 'a//b', 'app:tag with space', `app:${'t'.repeat(129)}`, 'https://registry/app'])('rejects %s', (ref) => {
    expect(parseImageReference(ref)).toBeUndefined();
  });
});

// Which requests wait for every replica's authentication cache (src/modules/auth/access-barrier.ts):
// REST writes to the resources access is made of (tokens, users, teams, invitations); a GraphQL POST
// only when its document may hold a mutation.
import { describe, expect, it } from '@jest/globals';
import { mayChangeAccess } from '../../src/modules/auth/access-barrier.js';

describe('mayChangeAccess', () => {
  it('never for reads', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(mayChangeAccess({ method, url: '/v1/tokens', body: undefined })).toBe(false);
  });

  it('for every REST write to tokens, users, teams (and what is under them) and invitations', () => {
    const urls = ['/v1/tokens', '/v1/tokens/abc', '/v1/users', '/v1/users/me', '/v1/users/u', '/v1/teams', '/v1/teams/t', '/v1/teams/t/members', '/v1/teams/t/members/u', '/v1/teams/t/invitations/i', '/v1/invitations/i/accept', '/v1/invitations/i', '/v1/teams?x=1'];
    for (const url of urls) for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect({ method, url, waits: mayChangeAccess({ method, url, body: undefined }) }).toEqual({ method, url, waits: true });
  });

  it('not for REST writes that cannot change access (releases, apps, environments, clusters)', () => {
    const urls = ['/v1/apps', '/v1/apps/a', '/v1/apps/a/environments/e/releases', '/v1/apps/a/environments/e/formation', '/v1/apps/a/environments/e/config-vars', '/v1/clusters/c/drain', '/v1/teamsx', '/v1/tokensmith'];
    for (const url of urls) for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect({ method, url, waits: mayChangeAccess({ method, url, body: undefined }) }).toEqual({ method, url, waits: false });
  });

  it('for GraphQL only when a document may hold a mutation, or sends no document (persisted query)', () => {
    const gql = (body: unknown) => mayChangeAccess({ method: 'POST', url: '/graphql', body });
    expect(gql({ query: '{ me { email } }' })).toBe(false);
    expect(gql({ query: 'query Q { me { email } }' })).toBe(false);
    expect(gql({ query: 'mutation { revokeToken(id: "x") { id } }' })).toBe(true);
    expect(gql([{ query: '{ me { email } }' }, { query: 'mutation M { x }' }])).toBe(true);
    expect(gql({ extensions: { persistedQuery: { sha256Hash: 'abc' } } })).toBe(true);
  });
});

// Which requests wait for every replica's authentication cache (src/modules/auth/access-barrier.ts):
// every write; a GraphQL POST only when its document may hold a mutation.
import { describe, expect, it } from '@jest/globals';
import { mayChangeAccess } from '../../src/modules/auth/access-barrier.js';

describe('mayChangeAccess', () => {
  it('never for reads', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(mayChangeAccess({ method, url: '/v1/tokens', body: undefined })).toBe(false);
  });

  it('always for REST writes', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(mayChangeAccess({ method, url: '/v1/teams/t/members/u', body: undefined })).toBe(true);
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

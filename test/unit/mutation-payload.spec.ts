// Mutation payloads (src/graphql/mutation-payload.ts): the service's result goes in the payload's
// field; a deletion's payload names what went by its Relay global id, from the service's answer or,
// for an app that went at once, from the audit scope.
import { describe, expect, it } from '@jest/globals';
import { AUDITED_KEY } from '../../src/common/audit/audited.decorator.js';
import { PAYLOAD_KEY, toPayload } from '../../src/graphql/mutation-payload.js';
import { GRAPHQL_RESOLVERS } from '../../src/graphql/resolvers.js';

/** Nest's marker of a resolver method's root type (graphql.constants RESOLVER_TYPE_METADATA). */
const RESOLVER_TYPE = 'graphql:resolver_type';

const globalId = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');
const UUID = '0190a0b0-0000-7000-8000-000000000001';

describe('mutation payloads', () => {
  it('carries the service result in the payload field', () => {
    expect(toPayload({ field: 'app' }, { id: UUID, name: 'a' }, undefined)).toEqual({ app: { id: UUID, name: 'a' } });
  });

  it('names a deleted object by the id the service answered', () => {
    expect(toPayload({ deleted: 'Team' }, UUID, undefined)).toEqual({ deletedId: globalId('Team', UUID) });
  });

  it('names an asynchronously deleted object by its own id and carries it', () => {
    const env = { id: UUID, state: 'deleting' };
    expect(toPayload({ deleted: 'Environment', field: 'environment' }, env, undefined)).toEqual({ deletedId: globalId('Environment', UUID), environment: env });
  });

  it('names an app that went at once (the service answers null) from the audit scope, with no object', () => {
    expect(toPayload({ deleted: 'App', field: 'app' }, null, { appId: UUID })).toEqual({ deletedId: globalId('App', UUID) });
  });

  it('refuses to answer a deletion it cannot name rather than inventing an id', () => {
    expect(() => toPayload({ deleted: 'Domain' }, undefined, { appId: UUID })).toThrow(/no id/);
  });

  it('is how every mutation answers, and every mutation is audited (its scope names an app deleted at once)', () => {
    const mutations = GRAPHQL_RESOLVERS.flatMap((resolver) =>
      Object.getOwnPropertyNames(resolver.prototype)
        .map((name) => ({ name, handler: Object.getOwnPropertyDescriptor(resolver.prototype, name)?.value as unknown }))
        .filter((m): m is { name: string; handler: object } => typeof m.handler === 'function' && Reflect.getMetadata(RESOLVER_TYPE, m.handler) === 'Mutation'),
    );
    expect(mutations.length).toBeGreaterThan(30);
    const odd = mutations.filter(({ handler }) => !Reflect.getMetadata(PAYLOAD_KEY, handler) || !Reflect.getMetadata(AUDITED_KEY, handler)).map(({ name }) => name);
    expect(odd).toEqual([]);
  });
});

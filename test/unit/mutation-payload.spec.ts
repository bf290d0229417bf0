// Mutation payloads (src/graphql/mutation-payload.ts): the service's result goes in the payload's
// field; a deletion's payload names what went by its Relay global id, from the service's answer or,
// for an app that went at once, from the audit scope.
import { describe, expect, it } from '@jest/globals';
import { toPayload } from '../../src/graphql/mutation-payload.js';

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
});

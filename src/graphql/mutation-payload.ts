// Mutation payloads (Relay's style): every mutation answers `<Name>Payload` with the object(s) it
// affected and the caller's `clientMutationId`. Resolvers stay one-line delegations returning what
// the service returns, exactly as REST's controllers; GraphqlAuditInterceptor wraps that result in
// the payload once it is audited (so the audit event still describes the object, and an idempotent
// replay answers the stored payload).
import { applyDecorators, SetMetadata, type Type } from '@nestjs/common';
import { Field, ID, Mutation, ObjectType } from '@nestjs/graphql';

export const PAYLOAD_KEY = 'berth:graphql-payload';

/** How a service result becomes the payload. */
export interface PayloadSpec {
  /** The payload field carrying the service's result (the affected object). */
  field?: string;
  /** For deletions: the deleted object's type, whose global id `deletedId` carries. */
  deleted?: DeletedType;
}

/** Types that deletions remove; their ids are Relay global ids (base64 of "Type:uuid"). */
export type DeletedType = 'Team' | 'Member' | 'Invitation' | 'App' | 'Environment' | 'ProcessType' | 'Domain' | 'Cluster' | 'RegistryCredential';

/** What the audited operation turned out to be about (the audit runner's scope), by id. */
export interface DeletionScope {
  teamId?: string;
  appId?: string;
  environmentId?: string;
}

/** The scope field that names a deleted object when the service answers nothing about it. */
const SCOPE_IDS: Partial<Record<DeletedType, keyof DeletionScope>> = { Team: 'teamId', App: 'appId', Environment: 'environmentId' };

const specs = new WeakMap<object, PayloadSpec>();

type TypeRef = () => Type<unknown>;

function payloadClass(name: string, description: string): Type<unknown> {
  // A fresh class per payload: Nest reads GraphQL fields from the class they are declared on.
  const payload = class {};
  Object.defineProperty(payload, 'name', { value: name });
  ObjectType(name, { description })(payload);
  Field(() => String, { nullable: true, description: 'The clientMutationId the input carried, unchanged' })(payload.prototype, 'clientMutationId');
  return payload;
}

/** `<Name>Payload { clientMutationId, <field>: <type>! }`. */
export function MutationPayload(name: string, description: string, field: string, type: TypeRef, fieldDescription: string): Type<unknown> {
  const payload = payloadClass(name, description);
  Field(type, { description: fieldDescription })(payload.prototype, field);
  specs.set(payload, { field });
  return payload;
}

/**
 * `<Name>Payload { clientMutationId, deletedId: ID! }`; where the deletion is asynchronous, also the
 * object in its `deleting` state (`also`), null when it went at once.
 */
export function DeletePayload(name: string, description: string, deleted: DeletedType, also?: { field: string; type: TypeRef; description: string }): Type<unknown> {
  const payload = payloadClass(name, description);
  Field(() => ID, { description: `The global id of the deleted ${deleted}` })(payload.prototype, 'deletedId');
  if (also) Field(also.type, { nullable: true, description: also.description })(payload.prototype, also.field);
  specs.set(payload, { deleted, ...(also ? { field: also.field } : {}) });
  return payload;
}

/** A root mutation answering `payload` (made by MutationPayload or DeletePayload). */
export function PayloadMutation(payload: Type<unknown>, description: string): MethodDecorator {
  const spec = specs.get(payload);
  if (!spec) throw new Error(`${payload.name} was not made by MutationPayload or DeletePayload`);
  return applyDecorators(Mutation(() => payload, { description }), SetMetadata(PAYLOAD_KEY, spec));
}

function globalId(type: DeletedType, uuid: string): string {
  // The encoding of graphql/nodes/global-id.ts, for every deletable type (not all of them are Nodes yet).
  return Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64');
}

/**
 * The payload for a service result. Deleting services answer the deleted object's uuid (or the
 * object itself, when deletion is asynchronous); an app that went at once is named by the scope.
 */
export function toPayload(spec: PayloadSpec, result: unknown, scope: DeletionScope | undefined): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  if (spec.field && result !== null && typeof result === 'object') payload[spec.field] = result;
  if (spec.deleted) {
    const fromResult = typeof result === 'string' ? result : result !== null && typeof result === 'object' ? (result as { id?: unknown }).id : undefined;
    const scopeKey = SCOPE_IDS[spec.deleted];
    const uuid = typeof fromResult === 'string' ? fromResult : scopeKey ? scope?.[scopeKey] : undefined;
    if (!uuid) throw new Error(`the deletion of a ${spec.deleted} answered no id`);
    payload.deletedId = globalId(spec.deleted, uuid);
  }
  return payload;
}

// Mutation payloads (Relay's style): every mutation answers `<Name>Payload` with the object(s) it
// affected and the caller's `clientMutationId`. Resolvers stay one-line delegations returning what
// the service returns, exactly as REST's controllers; GraphqlAuditInterceptor wraps that result in
// the payload once it is audited (so the audit event still describes the object, and an idempotent
// replay answers the stored payload).
import { applyDecorators, SetMetadata, UseInterceptors, type Type } from '@nestjs/common';
import { Field, ID, Mutation, ObjectType } from '@nestjs/graphql';
import { GraphqlAuditInterceptor } from './graphql-audit.interceptor.js';
import { PAYLOAD_KEY, type DeletedType, type PayloadSpec } from './payload-answer.js';

export { GraphqlAudited } from './graphql-audit.interceptor.js';
export { PAYLOAD_KEY, toPayload, type DeletedType, type DeletionScope, type PayloadSpec } from './payload-answer.js';

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

/**
 * A root mutation answering `payload` (made by MutationPayload or DeletePayload), run through
 * GraphqlAuditInterceptor (audit, idempotency, the payload). Only mutations (and GraphqlAudited
 * queries) have an interceptor: other resolvers run without Nest's rxjs pipeline.
 */
export function PayloadMutation(payload: Type<unknown>, description: string): MethodDecorator {
  const spec = specs.get(payload);
  if (!spec) throw new Error(`${payload.name} was not made by MutationPayload or DeletePayload`);
  return applyDecorators(Mutation(() => payload, { description }), SetMetadata(PAYLOAD_KEY, spec), UseInterceptors(GraphqlAuditInterceptor));
}


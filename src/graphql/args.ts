// The fields every mutation input shares (Relay's style: `name(input: NameInput!): NamePayload!`).
// The target references, the change and its transport options travel in the one input; the input
// classes extend the REST DTOs, so class-validator's rules are the same over both transports.
import { applyDecorators } from '@nestjs/common';
import { Args, Field, Int } from '@nestjs/graphql';
import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/** The Idempotency-Key header's bounds: a UUID or similar, never a document. */
const KEY_MAX = 255;

/** Same semantics as the Idempotency-Key header: replay, 422 with other input, 409 while running. */
export const IdempotencyKeyField = () =>
  applyDecorators(
    Field(() => String, { nullable: true, description: 'Like the Idempotency-Key header: a retry with the same key and input replays the first answer; the same key with other input is refused' }),
    IsOptional(),
    IsString(),
    IsNotEmpty(),
    MaxLength(KEY_MAX),
  );

/** Relay's echo: lets a client match answers to requests; no effect on the change itself. */
export const ClientMutationIdField = () =>
  applyDecorators(
    Field(() => String, { nullable: true, description: 'Any string of yours, echoed in the payload (Relay); not part of the idempotency fingerprint' }),
    IsOptional(),
    IsString(),
    MaxLength(KEY_MAX),
  );

/** Same semantics as If-Match: the version the change starts from (PRECONDITION_FAILED when stale). */
export const ExpectedVersionField = () =>
  applyDecorators(
    Field(() => Int, { nullable: true, description: "Like If-Match: the resource's version this change starts from; when stale the change is refused (PRECONDITION_FAILED) and nothing changes; leave it out to apply to whatever is current" }),
    IsOptional(),
    IsInt(),
    Min(0),
  );

/**
 * A reference to an existing object by name or id, as in REST paths: it resolves to exactly what
 * it names or answers NOT_FOUND (so its only rule is being a string, as a path segment is).
 */
export const RefField = (description: string) => applyDecorators(Field(() => String, { description }), IsString());

/** Every mutation's one argument. */
export const InputArg = () => Args('input', { description: 'What to change, where (the references), and the request options (idempotencyKey, clientMutationId)' });

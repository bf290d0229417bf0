// Arguments every mutation shares with its REST twin's headers.
import { Int } from '@nestjs/graphql';

/** Same semantics as the Idempotency-Key header: replay, 422 with other input, 409 while running. */
export const IDEMPOTENCY_KEY_ARG = ['idempotencyKey', { type: () => String, nullable: true, description: 'Like the Idempotency-Key header' }] as const;

/** Same semantics as If-Match: the version the change starts from (412 when stale). */
export const EXPECTED_VERSION_ARG = ['expectedVersion', { type: () => Int, nullable: true, description: 'Like If-Match: the version this change starts from' }] as const;

// How a mutation's service result becomes its payload (used by GraphqlAuditInterceptor once the
// operation is audited; mutation-payload.ts declares the payload types and re-exports these).
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

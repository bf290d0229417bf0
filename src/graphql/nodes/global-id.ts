// Relay global ids: base64 of "Type:key". Every Node type's `id` is one; `uuid` is the raw id REST
// uses (a uuid, or for an audit event its sequence number).
import { DomainError } from '../../common/errors/domain-error.js';

export const NODE_TYPES = ['Team', 'App', 'Environment', 'Release', 'Domain', 'Token', 'Cluster', 'User', 'Member', 'Invitation', 'AuditEvent', 'RegistryCredential'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** GraphQL types that are another Node type with more fields: their ids are that type's. */
export const NODE_ALIASES: Readonly<Record<string, NodeTypeName>> = { CreatedToken: 'Token', CurrentUser: 'User' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEQ = /^[1-9]\d{0,18}$/;

export function toGlobalId(type: NodeTypeName, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64');
}

export function fromGlobalId(id: string): { type: NodeTypeName; uuid: string } {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  const [type, key, ...rest] = decoded.split(':');
  const format = type === 'AuditEvent' ? SEQ : UUID;
  if (!type || !key || rest.length || !(NODE_TYPES as readonly string[]).includes(type) || !format.test(key)) {
    throw DomainError.invalid('id', 'is not a global id this API handed out');
  }
  return { type: type as NodeTypeName, uuid: key.toLowerCase() };
}

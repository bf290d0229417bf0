// Relay global ids: base64 of "Type:uuid". Every Node type's `id` is one; `uuid` is the raw id REST uses.
import { DomainError } from '../../common/errors/domain-error.js';

export const NODE_TYPES = ['Team', 'App', 'Environment', 'Release', 'Domain', 'Token', 'Cluster'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toGlobalId(type: NodeTypeName, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64');
}

export function fromGlobalId(id: string): { type: NodeTypeName; uuid: string } {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  const [type, uuid] = decoded.split(':');
  if (!type || !uuid || !(NODE_TYPES as readonly string[]).includes(type) || !UUID.test(uuid)) {
    throw DomainError.invalid('id', 'is not a global id this API handed out');
  }
  return { type: type as NodeTypeName, uuid: uuid.toLowerCase() };
}

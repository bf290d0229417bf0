// Finds the parents a nested object's REST path needs (its app and environment) from its uuid, so
// node(id) can call the same service `get` as REST; that call does all the authorisation.
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

export interface NodePath {
  appId: string;
  environmentId?: string;
  /** The release number or the domain's hostname. */
  ref?: string;
}

@Injectable()
export class NodeLocator {
  constructor(private readonly tx: TransactionHost) {}

  async environment(id: string): Promise<NodePath | null> {
    const env = await this.tx.db.environment.findUnique({ where: { id }, select: { appId: true } });
    return env ? { appId: env.appId, environmentId: id } : null;
  }

  async release(id: string): Promise<NodePath | null> {
    const release = await this.tx.db.release.findUnique({ where: { id }, select: { number: true, environmentId: true, environment: { select: { appId: true } } } });
    return release ? { appId: release.environment.appId, environmentId: release.environmentId, ref: String(release.number) } : null;
  }

  async domain(id: string): Promise<NodePath | null> {
    const domain = await this.tx.db.domain.findUnique({ where: { id }, select: { hostname: true, environmentId: true, environment: { select: { appId: true } } } });
    return domain ? { appId: domain.environment.appId, environmentId: domain.environmentId, ref: domain.hostname } : null;
  }
}

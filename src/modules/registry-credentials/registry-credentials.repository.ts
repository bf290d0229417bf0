import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

const SELECT = { id: true, registry: true, username: true, createdAt: true, updatedAt: true } as const;

@Injectable()
export class RegistryCredentialsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async upsert(teamId: string, registry: string, username: string, passwordCiphertext: string) {
    return this.tx.db.registryCredential.upsert({
      where: { teamId_registry: { teamId, registry } },
      create: { teamId, registry, username, passwordCiphertext },
      update: { username, passwordCiphertext },
      select: SELECT,
    });
  }

  async list(teamId: string) {
    return this.tx.db.registryCredential.findMany({ where: { teamId }, orderBy: { registry: 'asc' }, select: SELECT });
  }

  async delete(teamId: string, registry: string): Promise<boolean> {
    return (await this.tx.db.registryCredential.deleteMany({ where: { teamId, registry } })).count > 0;
  }

  async secretFor(teamId: string, registry: string): Promise<{ username: string; passwordCiphertext: string } | null> {
    return this.tx.db.registryCredential.findUnique({ where: { teamId_registry: { teamId, registry } }, select: { username: true, passwordCiphertext: true } });
  }
}

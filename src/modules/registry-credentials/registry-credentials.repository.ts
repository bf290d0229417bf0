import { Injectable } from '@nestjs/common';
import { PrismaService, TransactionHost } from '../../database/prisma.service.js';

// The ciphertext is selected only by secretFor, so nothing else can hand it to a model by mistake.
const SELECT = { id: true, registry: true, username: true, createdAt: true, updatedAt: true } as const;

/** Every reconcile of an environment whose image has a login asks this, outside any transaction. */
const SECRET_FOR = { name: 'berth_registry_secret', text: 'SELECT username, password_ciphertext FROM registry_credentials WHERE team_id = $1::uuid AND registry = $2' };

export interface RegistryCredentialRecord {
  id: string;
  registry: string;
  username: string;
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class RegistryCredentialsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly prisma: PrismaService,
  ) {}

  async upsert(teamId: string, registry: string, username: string, passwordCiphertext: string): Promise<RegistryCredentialRecord> {
    return this.tx.db.registryCredential.upsert({
      where: { teamId_registry: { teamId, registry } },
      create: { teamId, registry, username, passwordCiphertext },
      update: { username, passwordCiphertext },
      select: SELECT,
    });
  }

  async find(teamId: string, registry: string): Promise<RegistryCredentialRecord | null> {
    return this.tx.db.registryCredential.findUnique({ where: { teamId_registry: { teamId, registry } }, select: SELECT });
  }

  /** Which team a credential belongs to, by its id alone (node(id:) then authorises through the service). */
  async locate(id: string): Promise<{ teamId: string; registry: string } | null> {
    return this.tx.db.registryCredential.findUnique({ where: { id }, select: { teamId: true, registry: true } });
  }

  async list(teamId: string): Promise<RegistryCredentialRecord[]> {
    return this.tx.db.registryCredential.findMany({ where: { teamId }, orderBy: { registry: 'asc' }, select: SELECT });
  }

  async delete(teamId: string, registry: string): Promise<boolean> {
    return (await this.tx.db.registryCredential.deleteMany({ where: { teamId, registry } })).count > 0;
  }

  async secretFor(teamId: string, registry: string): Promise<{ username: string; passwordCiphertext: string } | null> {
    if (this.tx.inTransaction) {
      return this.tx.db.registryCredential.findUnique({ where: { teamId_registry: { teamId, registry } }, select: { username: true, passwordCiphertext: true } });
    }
    // A prepared statement, not Prisma: a sixth of Prisma's CPU per lookup (docs/performance.md).
    const [row] = await this.prisma.query<{ username: string; password_ciphertext: string }>(SECRET_FOR, [teamId, registry]);
    return row ? { username: row.username, passwordCiphertext: row.password_ciphertext } : null;
  }
}

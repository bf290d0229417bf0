import { Injectable } from '@nestjs/common';
import type { TeamRole } from '../../common/auth/actor.js';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { isUuid, whereId } from '../../common/validation/refs.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { InvitationRecord } from './models/invitation.model.js';

const INVITATION_INCLUDE = { team: { select: { name: true } } } as const;

@Injectable()
export class InvitationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Inviting the same address again renews the invitation (new role, new expiry). */
  async upsert(data: { teamId: string; email: string; role: TeamRole; invitedById: string; expiresAt: Date }): Promise<InvitationRecord> {
    return this.tx.db.invitation.upsert({
      where: { teamId_email: { teamId: data.teamId, email: data.email } },
      create: data,
      update: { role: data.role, invitedById: data.invitedById, expiresAt: data.expiresAt, createdAt: new Date() },
      include: INVITATION_INCLUDE,
    });
  }

  async listForTeam(teamId: string, page: PageRequest<string>): Promise<InvitationRecord[]> {
    const k = keyset(page);
    return this.tx.db.invitation.findMany({
      where: { teamId, ...(k.range ? { id: k.range } : {}) },
      orderBy: { id: k.order },
      take: k.take,
      include: INVITATION_INCLUDE,
    });
  }

  async countForTeam(teamId: string): Promise<number> {
    return this.tx.db.invitation.count({ where: { teamId } });
  }

  /** Which team an invitation belongs to, by its id alone (node(id:) then authorises through the service). */
  async locate(id: string): Promise<{ teamId: string } | null> {
    return this.tx.db.invitation.findUnique({ where: { id }, select: { teamId: true } });
  }

  async listForEmail(email: string): Promise<InvitationRecord[]> {
    return this.tx.db.invitation.findMany({ where: { email }, orderBy: { id: 'asc' }, take: 500, include: INVITATION_INCLUDE });
  }

  /** The invitation with this id within the scope (a team, or an invitee's address), else null. */
  async find(id: string, scope: { teamId: string } | { email: string }): Promise<InvitationRecord | null> {
    if (!isUuid(id)) return null;
    return this.tx.db.invitation.findFirst({ where: whereId(id.toLowerCase(), [scope]), include: INVITATION_INCLUDE });
  }

  async delete(id: string): Promise<void> {
    await this.tx.db.invitation.deleteMany({ where: { id } });
  }

  async isMember(teamId: string, email: string): Promise<boolean> {
    return (await this.tx.db.membership.count({ where: { teamId, user: { email } } })) > 0;
  }
}

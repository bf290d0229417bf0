import { Injectable } from '@nestjs/common';
import type { TeamRole } from '../../common/auth/actor.js';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { whereRef } from '../../common/validation/refs.js';
import { uniquely } from '../../database/prisma-errors.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { MemberRecord } from './models/member.model.js';
import type { TeamRecord } from './models/team.model.js';

const MEMBER_SELECT = { id: true, role: true, version: true, createdAt: true, updatedAt: true, user: { select: { id: true, email: true, name: true } } } as const;

@Injectable()
export class TeamsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** `teamIds` undefined means every team (platform admin); otherwise only those teams are visible. */
  async findByRef(ref: string, teamIds: string[] | undefined): Promise<TeamRecord | null> {
    return this.tx.db.team.findFirst({ where: whereRef(ref, [teamIds ? { id: { in: teamIds } } : undefined]) });
  }

  async list(teamIds: string[] | undefined, page: PageRequest<string>): Promise<TeamRecord[]> {
    const k = keyset(page);
    return this.tx.db.team.findMany({
      where: { id: { ...(teamIds ? { in: teamIds } : {}), ...k.range } },
      orderBy: { id: k.order },
      take: k.take,
    });
  }

  async count(teamIds: string[] | undefined): Promise<number> {
    return this.tx.db.team.count({ where: teamIds ? { id: { in: teamIds } } : {} });
  }

  /** Teams by id, only within `teamIds` (undefined: every team, for platform admins). */
  async findManyByIds(teamIds: string[] | undefined, ids: string[]): Promise<TeamRecord[]> {
    return this.tx.db.team.findMany({ where: { id: { in: teamIds ? ids.filter((id) => teamIds.includes(id)) : ids } } });
  }

  async create(data: { name: string; displayName: string }, ownerUserId: string): Promise<TeamRecord> {
    const team = await uniquely(
      () => this.tx.db.team.create({ data: { ...data, memberships: { create: { userId: ownerUserId, role: 'owner' } } } }),
      'team',
      'name',
      data.name,
    );
    // Every team starts with the default quota (see TeamQuota's column defaults).
    await this.tx.db.teamQuota.create({ data: { teamId: team.id } });
    return team;
  }

  async update(teamId: string, data: { displayName?: string }, expectedVersion?: number): Promise<TeamRecord | null> {
    const result = await this.tx.db.team.updateMany({ where: { id: teamId, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) }, data: { ...data, version: { increment: 1 } } });
    return result.count ? this.tx.db.team.findUnique({ where: { id: teamId } }) : null;
  }

  async delete(teamId: string): Promise<void> {
    await this.tx.db.team.delete({ where: { id: teamId } });
  }

  async countApps(teamId: string): Promise<number> {
    return this.tx.db.app.count({ where: { teamId } });
  }

  async listMembers(teamId: string, page: PageRequest<string>): Promise<MemberRecord[]> {
    const k = keyset(page);
    return this.tx.db.membership.findMany({
      where: { teamId, ...(k.range ? { userId: k.range } : {}) },
      orderBy: { userId: k.order },
      take: k.take,
      select: MEMBER_SELECT,
    });
  }

  async countMembers(teamId: string): Promise<number> {
    return this.tx.db.membership.count({ where: { teamId } });
  }

  /** Where a membership sits, by its id alone (node(id:) then authorises through the service). */
  async locateMember(id: string): Promise<{ teamId: string; userId: string } | null> {
    return this.tx.db.membership.findUnique({ where: { id }, select: { teamId: true, userId: true } });
  }

  async findMember(teamId: string, userRef: string): Promise<MemberRecord | null> {
    return this.tx.db.membership.findFirst({
      where: { teamId, user: whereRef(userRef.toLowerCase(), [], 'email') },
      select: MEMBER_SELECT,
    });
  }

  async addMember(teamId: string, userId: string, role: TeamRole, email: string): Promise<MemberRecord> {
    return uniquely(() => this.tx.db.membership.create({ data: { teamId, userId, role }, select: MEMBER_SELECT }), 'member', 'email', email);
  }

  /** Updates only from `expectedVersion` when given; null when the membership moved on. */
  async updateMemberRole(teamId: string, userId: string, role: TeamRole, expectedVersion?: number): Promise<MemberRecord | null> {
    const where = { teamId, userId, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) };
    const result = await this.tx.db.membership.updateMany({ where, data: { role, version: { increment: 1 } } });
    return result.count ? this.tx.db.membership.findFirst({ where: { teamId, userId }, select: MEMBER_SELECT }) : null;
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    await this.tx.db.membership.delete({ where: { teamId_userId: { teamId, userId } } });
  }

  /** Locks the team's owner rows so two concurrent demotions cannot both pass the last-owner check. */
  async lockOwners(teamId: string): Promise<string[]> {
    const rows = await this.tx.db.$queryRaw<Array<{ user_id: string }>>`
      SELECT user_id FROM memberships WHERE team_id = ${teamId}::uuid AND role = 'owner' FOR UPDATE`;
    return rows.map((r) => r.user_id);
  }
}

import { Injectable } from '@nestjs/common';
import { assertTeamRole, roleRank, visibleTeamIds, type Actor, type TeamRole } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { UpdateMemberInput } from './dto/member.input.js';
import type { CreateTeamInput, UpdateTeamInput } from './dto/create-team.input.js';
import { toMemberModel, type MemberModel } from './models/member.model.js';
import { toTeamModel, type TeamModel, type TeamRecord } from './models/team.model.js';
import { TeamsRepository } from './teams.repository.js';

@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
  ) {}

  /** Shared by every service that takes a team reference: 404 unless visible, 403 below `role`. */
  async resolve(actor: Actor, ref: string, role: TeamRole): Promise<TeamRecord> {
    const team = await this.teams.findByRef(ref, visibleTeamIds(actor));
    if (!team) throw DomainError.notFound('team', ref);
    this.notes.scope({ teamId: team.id });
    assertTeamRole(actor, team.id, role, 'team', ref);
    return team;
  }

  async create(actor: Actor, input: CreateTeamInput): Promise<TeamModel> {
    const team = await this.tx.run(() => this.teams.create({ name: input.name, displayName: input.display_name ?? input.name }, actor.userId));
    this.notes.scope({ teamId: team.id });
    return toTeamModel(team, 'owner');
  }

  async list(actor: Actor, query: PageQuery): Promise<Page<TeamModel>> {
    const page = pageRequest<string>(query);
    const rows = await this.teams.list(visibleTeamIds(actor), page);
    return withCount(toPage(rows, page, (t) => t.id, (t) => toTeamModel(t, actor.teamRoles.get(t.id) ?? null)), () => this.teams.count(visibleTeamIds(actor)));
  }

  async get(actor: Actor, ref: string): Promise<TeamModel> {
    const team = await this.resolve(actor, ref, 'viewer');
    return toTeamModel(team, actor.teamRoles.get(team.id) ?? null);
  }

  async update(actor: Actor, ref: string, input: UpdateTeamInput, expectedVersion?: number): Promise<TeamModel> {
    const team = await this.resolve(actor, ref, 'admin');
    const updated = await this.tx.run(() => this.teams.update(team.id, { displayName: input.display_name }, expectedVersion));
    if (!updated) throw new DomainError('precondition-failed', `team "${team.name}" changed since version ${expectedVersion}`, { field: 'If-Match' });
    this.notes.change({ before: { display_name: team.displayName }, after: { display_name: updated.displayName } });
    return toTeamModel(updated, actor.teamRoles.get(team.id) ?? null);
  }

  /** Answers the deleted team's id (GraphQL's payload names it). */
  async delete(actor: Actor, ref: string): Promise<string> {
    const team = await this.resolve(actor, ref, 'owner');
    await this.tx.run(async () => {
      if ((await this.teams.countApps(team.id)) > 0) {
        throw new DomainError('invalid-state', `team "${team.name}" still has apps; delete them first`);
      }
      await this.teams.delete(team.id);
    });
    return team.id;
  }

  async listMembers(actor: Actor, ref: string, query: PageQuery): Promise<Page<MemberModel>> {
    const team = await this.resolve(actor, ref, 'viewer');
    const page = pageRequest<string>(query);
    const rows = await this.teams.listMembers(team.id, page);
    return withCount(toPage(rows, page, (m) => m.user.id, toMemberModel), () => this.teams.countMembers(team.id));
  }

  /** One member, to the team's members (as the member list); otherwise not found. */
  async getMember(actor: Actor, ref: string, userRef: string): Promise<MemberModel> {
    const team = await this.resolve(actor, ref, 'viewer');
    const member = await this.teams.findMember(team.id, userRef);
    if (!member) throw DomainError.notFound('member', userRef);
    return toMemberModel(member);
  }

  async updateMember(actor: Actor, ref: string, userRef: string, input: UpdateMemberInput, expectedVersion?: number): Promise<MemberModel> {
    const team = await this.resolve(actor, ref, 'admin');
    return this.tx.run(async () => {
      const member = await this.teams.findMember(team.id, userRef);
      if (!member) throw DomainError.notFound('member', userRef);
      this.assertMayGrant(actor, team.id, member.role);
      this.assertMayGrant(actor, team.id, input.role);
      if (member.role === 'owner' && input.role !== 'owner') await this.assertNotLastOwner(team.id, member.user.id);
      this.notes.change({ before: { user: member.user.email, role: member.role }, after: { user: member.user.email, role: input.role } });
      const updated = await this.teams.updateMemberRole(team.id, member.user.id, input.role, expectedVersion);
      if (!updated) throw new DomainError('precondition-failed', `membership of "${member.user.email}" changed since version ${expectedVersion}; it is at version ${member.version}`, { field: 'If-Match' });
      return toMemberModel(updated);
    });
  }

  /** Answers the removed membership's id (GraphQL's payload names it). */
  async removeMember(actor: Actor, ref: string, userRef: string): Promise<string> {
    // Anyone may leave a team; removing someone else takes an admin.
    const team = await this.resolve(actor, ref, 'viewer');
    return this.tx.run(async () => {
      const member = await this.teams.findMember(team.id, userRef);
      if (!member) throw DomainError.notFound('member', userRef);
      if (member.user.id !== actor.userId) {
        assertTeamRole(actor, team.id, 'admin', 'team', ref);
        this.assertMayGrant(actor, team.id, member.role);
      }
      if (member.role === 'owner') await this.assertNotLastOwner(team.id, member.user.id);
      this.notes.change({ before: { user: member.user.email, role: member.role }, after: null });
      await this.teams.removeMember(team.id, member.user.id);
      return member.id;
    });
  }

  /** Admins manage developers and viewers; only owners (and platform admins) manage owners and admins. */
  assertMayGrant(actor: Actor, teamId: string, role: TeamRole): void {
    if (actor.isPlatformAdmin) return;
    const own = actor.teamRoles.get(teamId);
    if (own === 'owner') return;
    if (own !== undefined && roleRank(role) < roleRank('admin')) return;
    throw new DomainError('forbidden', `only an owner can grant or change the ${role} role`);
  }

  private async assertNotLastOwner(teamId: string, userId: string): Promise<void> {
    const owners = await this.teams.lockOwners(teamId);
    if (owners.length === 1 && owners[0] === userId) {
      throw new DomainError('invalid-state', 'a team must keep at least one owner');
    }
  }
}

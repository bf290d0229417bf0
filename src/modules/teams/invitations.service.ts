// Membership by e-mail without revealing who has an account (issue #12): adding someone to a team
// creates an invitation, answered the same way whether or not the address belongs to a user (or
// ever will). The invited user sees it with their own token and accepts or declines it; team
// admins list and revoke pending invitations. Platform admins can look users up directly.
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { AddMemberInput } from './dto/member.input.js';
import { InvitationsRepository } from './invitations.repository.js';
import { toInvitationModel, type InvitationModel } from './models/invitation.model.js';
import { toMemberModel, type MemberModel } from './models/member.model.js';
import { TeamsRepository } from './teams.repository.js';
import { TeamsService } from './teams.service.js';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

@Injectable()
export class InvitationsService {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly teams: TeamsService,
    private readonly members: TeamsRepository,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
  ) {}

  async invite(actor: Actor, ref: string, input: AddMemberInput): Promise<InvitationModel> {
    const team = await this.teams.resolve(actor, ref, 'admin');
    this.teams.assertMayGrant(actor, team.id, input.role);
    const email = input.email.toLowerCase();
    return this.tx.run(async () => {
      // Members are listed to the team already, so refusing a second membership reveals nothing new.
      if (await this.invitations.isMember(team.id, email)) throw DomainError.alreadyExists('member', 'email', email);
      const invitation = await this.invitations.upsert({ teamId: team.id, email, role: input.role, invitedById: actor.userId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) });
      return toInvitationModel(invitation);
    });
  }

  async listForTeam(actor: Actor, ref: string, query: PageQuery): Promise<Page<InvitationModel>> {
    const team = await this.teams.resolve(actor, ref, 'viewer');
    const page = pageRequest<string>(query);
    const now = new Date();
    return withCount(toPage(await this.invitations.listForTeam(team.id, page), page, (i) => i.id, (i) => toInvitationModel(i, now)), () => this.invitations.countForTeam(team.id));
  }

  /** Answers the revoked invitation's id (GraphQL's payload names it). */
  async revoke(actor: Actor, ref: string, id: string): Promise<string> {
    const team = await this.teams.resolve(actor, ref, 'admin');
    return this.tx.run(async () => {
      const invitation = await this.invitations.find(id, { teamId: team.id });
      if (!invitation) throw DomainError.notFound('invitation', id);
      this.teams.assertMayGrant(actor, team.id, invitation.role);
      this.notes.change({ before: { email: invitation.email, role: invitation.role }, after: null });
      await this.invitations.delete(invitation.id);
      return invitation.id;
    });
  }

  /** One invitation, to the person invited and to its team's members (as the two lists); otherwise not found. */
  async get(actor: Actor, id: string): Promise<InvitationModel> {
    const mine = await this.invitations.find(id, { email: actor.email.toLowerCase() });
    if (mine) return toInvitationModel(mine);
    const located = await this.invitations.locate(id);
    const visible = located && (actor.isPlatformAdmin || actor.teamRoles.has(located.teamId));
    const invitation = visible ? await this.invitations.find(id, { teamId: located.teamId }) : null;
    if (!invitation) throw DomainError.notFound('invitation', id);
    return toInvitationModel(invitation);
  }

  /** Invitations addressed to the caller. */
  async mine(actor: Actor): Promise<InvitationModel[]> {
    const now = new Date();
    return (await this.invitations.listForEmail(actor.email.toLowerCase())).map((i) => toInvitationModel(i, now));
  }

  async accept(actor: Actor, id: string): Promise<MemberModel> {
    return this.tx.run(async () => {
      const invitation = await this.invitations.find(id, { email: actor.email.toLowerCase() });
      if (!invitation) throw DomainError.notFound('invitation', id);
      this.notes.scope({ teamId: invitation.teamId });
      if (invitation.expiresAt <= new Date()) throw new DomainError('invalid-state', `invitation ${id} expired at ${invitation.expiresAt.toISOString()}; ask a team admin to invite you again`);
      const member = await this.members.addMember(invitation.teamId, actor.userId, invitation.role, invitation.email);
      await this.invitations.delete(invitation.id);
      return toMemberModel(member);
    });
  }

  /** Answers the declined invitation's id (GraphQL's payload names it). */
  async decline(actor: Actor, id: string): Promise<string> {
    return this.tx.run(async () => {
      const invitation = await this.invitations.find(id, { email: actor.email.toLowerCase() });
      if (!invitation) throw DomainError.notFound('invitation', id);
      this.notes.scope({ teamId: invitation.teamId });
      await this.invitations.delete(invitation.id);
      return invitation.id;
    });
  }
}


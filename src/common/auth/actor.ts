import { DomainError } from '../errors/domain-error.js';

export const TEAM_ROLES = ['viewer', 'developer', 'admin', 'owner'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Who is calling: resolved from the bearer token once per request. */
export interface Actor {
  type: 'user' | 'system';
  userId: string;
  tokenId?: string;
  name: string;
  email: string;
  isPlatformAdmin: boolean;
  /** Role per team id. */
  teamRoles: ReadonlyMap<string, TeamRole>;
}

export function roleRank(role: TeamRole): number {
  return TEAM_ROLES.indexOf(role);
}

export function hasTeamRole(actor: Actor, teamId: string, minimum: TeamRole): boolean {
  if (actor.isPlatformAdmin) return true;
  const role = actor.teamRoles.get(teamId);
  return role !== undefined && roleRank(role) >= roleRank(minimum);
}

/** Team ids whose objects the actor may see; undefined means all (platform admin). */
export function visibleTeamIds(actor: Actor): string[] | undefined {
  return actor.isPlatformAdmin ? undefined : [...actor.teamRoles.keys()];
}

/**
 * The access rule shared by every service: an object of a team you do not belong to does not
 * exist for you (404); a member with too small a role is refused (403).
 */
export function assertTeamRole(actor: Actor, teamId: string, minimum: TeamRole, kind: string, ref: string): void {
  if (actor.isPlatformAdmin) return;
  const role = actor.teamRoles.get(teamId);
  if (role === undefined) throw DomainError.notFound(kind, ref);
  if (roleRank(role) < roleRank(minimum)) {
    throw new DomainError('forbidden', `this needs the ${minimum} role on the team; you have ${role}`);
  }
}

export function assertPlatformAdmin(actor: Actor): void {
  if (!actor.isPlatformAdmin) throw new DomainError('forbidden', 'this needs a platform admin');
}

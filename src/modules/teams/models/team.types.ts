// Team, Member and Invitation object types. Links (Team.apps, Member.user) are resolved by
// TeamAppsResolver and MembersResolver.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { InvitationStateEnum, TeamRoleEnum } from './team.enums.js';

@ObjectType('Team', { implements: () => [NodeType], description: 'A group of people who own apps together; the unit of access and quota' })
export class TeamType extends NodeType {
  @Field({ description: 'Unique in the installation; a DNS label' }) name: string;
  @Field({ name: 'displayName', description: 'Name for people' }) display_name: string;
  @Field(() => TeamRoleEnum, { nullable: true, description: 'Your role; null for platform admins who are not members' }) role: string | null;
  @Field(() => Int, { description: 'Optimistic concurrency version (pass as expectedVersion)' }) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the team was created' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When the team last changed' }) updated_at: string;
}

@ObjectType('Member', { implements: () => [NodeType], description: "A person's membership of a team (its uuid is the membership's; REST names members by userId)" })
export class MemberType extends NodeType {
  @Field({ name: 'userId', description: 'The member (REST addresses members by it)' }) user_id: string;
  @Field({ description: "The member's e-mail address" }) email: string;
  @Field({ description: "The member's name" }) name: string;
  @Field(() => TeamRoleEnum, { description: 'What the member may do in the team' }) role: string;
  @Field(() => Int, { description: 'Optimistic concurrency version (pass as expectedVersion)' }) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the membership began' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When the role last changed' }) updated_at: string;
}

@ObjectType('Invitation', { implements: () => [NodeType], description: 'An invitation by e-mail; says nothing about whether the address has an account' })
export class InvitationType extends NodeType {
  @Field({ name: 'teamId', description: 'The team invited to' }) team_id: string;
  @Field({ name: 'teamName', description: 'Its name, for the person invited (who cannot read the team yet)' }) team_name: string;
  @Field({ description: 'Who is invited' }) email: string;
  @Field(() => TeamRoleEnum, { description: 'The role accepting gives' }) role: string;
  @Field(() => InvitationStateEnum, { description: 'PENDING until it expires' }) state: string;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the invitation was (last) sent' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'expiresAt', description: 'After this it can no longer be accepted (invite again to renew)' }) expires_at: string;
}

@ObjectType('InvitationConnection', { description: 'A page of invitations' })
export class InvitationConnection extends Connection(InvitationType, 'Invitation') {}

@ObjectType('TeamConnection', { description: 'A page of teams' })
export class TeamConnection extends Connection(TeamType, 'Team') {}

@ObjectType('MemberConnection', { description: 'A page of team members' })
export class MemberConnection extends Connection(MemberType, 'Member') {}

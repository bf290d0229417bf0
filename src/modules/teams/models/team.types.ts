import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { InvitationStateEnum, TeamRoleEnum } from './team.enums.js';

@ObjectType('TeamRef')
export class TeamRefType {
  @Field() id: string;
  @Field() name: string;
}

@ObjectType('Team', { implements: () => [NodeType] })
export class TeamType extends NodeType {
  @Field() name: string;
  @Field({ name: 'displayName' }) display_name: string;
  @Field(() => TeamRoleEnum, { nullable: true, description: 'Your role; null for platform admins who are not members' }) role: string | null;
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('Member')
export class MemberType {
  @Field({ name: 'userId' }) user_id: string;
  @Field() email: string;
  @Field() name: string;
  @Field(() => TeamRoleEnum) role: string;
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('Invitation', { description: 'An invitation by e-mail; says nothing about whether the address has an account' })
export class InvitationType {
  @Field() id: string;
  @Field({ name: 'teamId' }) team_id: string;
  @Field({ name: 'teamName' }) team_name: string;
  @Field() email: string;
  @Field(() => TeamRoleEnum) role: string;
  @Field(() => InvitationStateEnum) state: string;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'expiresAt' }) expires_at: string;
}

@ObjectType('InvitationConnection')
export class InvitationConnection extends Connection(InvitationType, 'Invitation') {}

@ObjectType('TeamConnection')
export class TeamConnection extends Connection(TeamType, 'Team') {}

@ObjectType('MemberConnection')
export class MemberConnection extends Connection(MemberType, 'Member') {}

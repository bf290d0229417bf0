// User and Token object types.
import { Field, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { TeamRoleEnum } from '../../teams/models/team.enums.js';

@ObjectType('User', { implements: () => [NodeType], description: 'A person with an account' })
export class UserType extends NodeType {
  @Field({ description: 'Unique; invitations are addressed to it' }) email: string;
  @Field({ description: 'Name for people' }) name: string;
  // platformAdmin: resolved by UsersResolver (only platform admins and the user themself see it).
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the account was created' }) created_at: string;
}

@ObjectType('MembershipSummary', { description: 'One team the caller belongs to, with the role there' })
export class MembershipSummaryType {
  @Field({ name: 'teamId', description: 'The team' }) team_id: string;
  @Field({ name: 'teamName', description: "The team's name" }) team_name: string;
  @Field(() => TeamRoleEnum, { description: 'Your role there' }) role: string;
}

@ObjectType('CurrentUser', { implements: () => [NodeType], description: 'The caller, with their teams' })
export class CurrentUserType extends UserType {
  @Field({ name: 'platformAdmin', description: 'You may manage users, clusters, quotas and every team' }) platform_admin: boolean;
  @Field(() => [MembershipSummaryType], { description: 'Every team you belong to' }) teams: MembershipSummaryType[];
}

@ObjectType('Token', { implements: () => [NodeType], description: 'An API token (the secret itself is shown only when created)' })
export class TokenType extends NodeType {
  @Field({ name: 'userId', description: 'Whose token it is' }) user_id: string;
  @Field({ description: 'What it is for' }) description: string;
  @Field({ description: 'The first characters of the token, to recognise it' }) prefix: string;
  @Field(() => DateTimeScalar, { name: 'expiresAt', nullable: true, description: 'When it stops working; null: never' }) expires_at: string | null;
  @Field(() => DateTimeScalar, { name: 'revokedAt', nullable: true, description: 'When it was revoked; null while valid' }) revoked_at: string | null;
  @Field(() => DateTimeScalar, { name: 'lastUsedAt', nullable: true, description: 'When it last authenticated a request (to the minute)' }) last_used_at: string | null;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When it was created' }) created_at: string;
}

@ObjectType('CreatedToken', { implements: () => [NodeType], description: 'A token just created, with its secret' })
export class CreatedTokenType extends TokenType {
  @Field({ description: 'The token itself. Shown this once.' }) token: string;
}

@ObjectType('UserConnection', { description: 'A page of users' })
export class UserConnection extends Connection(UserType, 'User') {}

@ObjectType('TokenConnection', { description: 'A page of tokens' })
export class TokenConnection extends Connection(TokenType, 'Token') {}

import { Field, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { TeamRoleEnum } from '../../teams/models/team.enums.js';

@ObjectType('User')
export class UserType {
  @Field() id: string;
  @Field() email: string;
  @Field() name: string;
  @Field({ name: 'platformAdmin' }) platform_admin: boolean;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
}

@ObjectType('MembershipSummary')
export class MembershipSummaryType {
  @Field({ name: 'teamId' }) team_id: string;
  @Field({ name: 'teamName' }) team_name: string;
  @Field(() => TeamRoleEnum) role: string;
}

@ObjectType('CurrentUser')
export class CurrentUserType extends UserType {
  @Field(() => [MembershipSummaryType]) teams: MembershipSummaryType[];
}

@ObjectType('Token', { implements: () => [NodeType] })
export class TokenType extends NodeType {
  @Field({ name: 'userId' }) user_id: string;
  @Field() description: string;
  @Field() prefix: string;
  @Field(() => DateTimeScalar, { name: 'expiresAt', nullable: true }) expires_at: string | null;
  @Field(() => DateTimeScalar, { name: 'revokedAt', nullable: true }) revoked_at: string | null;
  @Field(() => DateTimeScalar, { name: 'lastUsedAt', nullable: true }) last_used_at: string | null;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
}

@ObjectType('CreatedToken', { implements: () => [NodeType] })
export class CreatedTokenType extends TokenType {
  @Field({ description: 'The token itself. Shown this once.' }) token: string;
}

@ObjectType('UserConnection')
export class UserConnection extends Connection(UserType, 'User') {}

@ObjectType('TokenConnection')
export class TokenConnection extends Connection(TokenType, 'Token') {}

import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../pagination/connection.js';
import { NodeType } from './node.type.js';

@ObjectType('TeamRef')
export class TeamRefType {
  @Field() id: string;
  @Field() name: string;
}

@ObjectType('Team', { implements: () => [NodeType] })
export class TeamType extends NodeType {
  @Field() name: string;
  @Field() display_name: string;
  @Field(() => String, { nullable: true, description: 'Your role; null for platform admins who are not members' }) role: string | null;
  @Field(() => Int) version: number;
  @Field() created_at: string;
  @Field() updated_at: string;
}

@ObjectType('Member')
export class MemberType {
  @Field() user_id: string;
  @Field() email: string;
  @Field() name: string;
  @Field() role: string;
  @Field(() => Int) version: number;
  @Field() created_at: string;
  @Field() updated_at: string;
}

@ObjectType('TeamConnection')
export class TeamConnection extends Connection(TeamType, 'Team') {}

@ObjectType('MemberConnection')
export class MemberConnection extends Connection(MemberType, 'Member') {}

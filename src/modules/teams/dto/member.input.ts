import { ApiProperty } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { TEAM_ROLES, type TeamRole } from '../../../common/auth/actor.js';
import { TeamRoleEnum } from '../models/team.enums.js';

@InputType({ isAbstract: true })
export class AddMemberInput {
  @Field({ description: 'E-mail address to invite; it need not have an account yet' })
  @ApiProperty({ example: 'dev@example.com', description: 'E-mail address to invite; it need not have an account yet' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field(() => TeamRoleEnum, { description: 'The role the invitee gets on accepting' })
  @ApiProperty({ enum: TEAM_ROLES })
  @IsIn(TEAM_ROLES)
  role: TeamRole;
}

@InputType({ isAbstract: true })
export class UpdateMemberInput {
  @Field(() => TeamRoleEnum, { description: 'The member\'s new role' })
  @ApiProperty({ enum: TEAM_ROLES })
  @IsIn(TEAM_ROLES)
  role: TeamRole;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { TEAM_ROLES, type TeamRole } from '../../../common/auth/actor.js';

export class AddMemberInput {
  @ApiProperty({ example: 'dev@example.com', description: 'An existing user\'s e-mail address' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: TEAM_ROLES })
  @IsIn(TEAM_ROLES)
  role: TeamRole;
}

export class UpdateMemberInput {
  @ApiProperty({ enum: TEAM_ROLES })
  @IsIn(TEAM_ROLES)
  role: TeamRole;
}

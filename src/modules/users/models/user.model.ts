import { ApiProperty } from '@nestjs/swagger';
import { TEAM_ROLES, type TeamRole } from '../../../common/auth/actor.js';

export class UserModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty() platform_admin: boolean;
  @ApiProperty() created_at: string;
}

export class MembershipSummary {
  @ApiProperty({ format: 'uuid' }) team_id: string;
  @ApiProperty() team_name: string;
  @ApiProperty({ enum: TEAM_ROLES }) role: TeamRole;
}

export class CurrentUserModel extends UserModel {
  @ApiProperty({ type: [MembershipSummary] }) teams: MembershipSummary[];
}

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  createdAt: Date;
}

export function toUserModel(record: UserRecord): UserModel {
  return { id: record.id, email: record.email, name: record.name, platform_admin: record.isPlatformAdmin, created_at: record.createdAt.toISOString() };
}

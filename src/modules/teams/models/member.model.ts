import { ApiProperty } from '@nestjs/swagger';
import { TEAM_ROLES, type TeamRole } from '../../../common/auth/actor.js';

export class MemberModel {
  @ApiProperty({ format: 'uuid', description: 'The membership (members are addressed by user_id)' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TEAM_ROLES }) role: TeamRole;
  @ApiProperty() version: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export interface MemberRecord {
  id: string;
  role: TeamRole;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  user: { id: string; email: string; name: string };
}

export function toMemberModel(record: MemberRecord): MemberModel {
  return {
    id: record.id,
    user_id: record.user.id,
    email: record.user.email,
    name: record.user.name,
    role: record.role,
    version: record.version,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

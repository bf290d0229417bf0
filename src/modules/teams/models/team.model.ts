import { ApiProperty } from '@nestjs/swagger';
import type { TeamRole } from '../../../common/auth/actor.js';

export class TeamModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'payments' }) name: string;
  @ApiProperty({ example: 'Payments' }) display_name: string;
  @ApiProperty({ enum: ['owner', 'admin', 'developer', 'viewer'], nullable: true, description: 'Your role on the team; null for platform admins who are not members' })
  role: TeamRole | null;
  @ApiProperty() version: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export interface TeamRecord {
  id: string;
  name: string;
  displayName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toTeamModel(record: TeamRecord, role: TeamRole | null): TeamModel {
  return {
    id: record.id,
    name: record.name,
    display_name: record.displayName,
    role,
    version: record.version,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

/** Reference embedded in other models. */
export class TeamRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

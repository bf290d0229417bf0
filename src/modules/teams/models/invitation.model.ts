import { ApiProperty } from '@nestjs/swagger';
import { TEAM_ROLES, type TeamRole } from '../../../common/auth/actor.js';

/** An invitation says nothing about whether the address has an account (issue #12). */
export class InvitationModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) team_id: string;
  @ApiProperty() team_name: string;
  @ApiProperty({ example: 'dev@example.com' }) email: string;
  @ApiProperty({ enum: TEAM_ROLES }) role: TeamRole;
  @ApiProperty({ enum: ['pending', 'expired'], description: 'pending until the invited user accepts or declines, or it is revoked; expired after expires_at (invite again to renew)' })
  state: 'pending' | 'expired';
  @ApiProperty() created_at: string;
  @ApiProperty() expires_at: string;
}

export interface InvitationRecord {
  id: string;
  teamId: string;
  email: string;
  role: TeamRole;
  createdAt: Date;
  expiresAt: Date;
  team: { name: string };
}

export function toInvitationModel(record: InvitationRecord, now = new Date()): InvitationModel {
  return {
    id: record.id,
    team_id: record.teamId,
    team_name: record.team.name,
    email: record.email,
    role: record.role,
    state: record.expiresAt > now ? 'pending' : 'expired',
    created_at: record.createdAt.toISOString(),
    expires_at: record.expiresAt.toISOString(),
  };
}

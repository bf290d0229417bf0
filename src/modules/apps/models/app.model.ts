import { ApiProperty } from '@nestjs/swagger';
import { TeamRef } from '../../teams/models/team.model.js';

export class AppModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'checkout' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: TeamRef }) team: TeamRef;
  @ApiProperty({ enum: ['active', 'deleting'] }) state: 'active' | 'deleting';
  @ApiProperty() version: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export interface AppRecord {
  id: string;
  teamId: string;
  name: string;
  description: string;
  state: 'active' | 'deleting';
  version: number;
  createdAt: Date;
  updatedAt: Date;
  team: { id: string; name: string };
}

export function toAppModel(r: AppRecord): AppModel {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    team: { id: r.team.id, name: r.team.name },
    state: r.state,
    version: r.version,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export class AppRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

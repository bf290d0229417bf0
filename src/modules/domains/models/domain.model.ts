import { ApiProperty } from '@nestjs/swagger';

export class DomainModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'shop.example.com' }) hostname: string;
  @ApiProperty() created_at: string;
}

export interface DomainRecord {
  id: string;
  teamId: string;
  environmentId: string;
  hostname: string;
  createdAt: Date;
}

export function toDomainModel(r: DomainRecord): DomainModel {
  return { id: r.id, hostname: r.hostname, created_at: r.createdAt.toISOString() };
}

import { ApiProperty } from '@nestjs/swagger';

/** The password is never returned. */
export class RegistryCredentialModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() registry: string;
  @ApiProperty() username: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export function toRegistryCredentialModel(r: { id: string; registry: string; username: string; createdAt: Date; updatedAt: Date }): RegistryCredentialModel {
  return { id: r.id, registry: r.registry, username: r.username, created_at: r.createdAt.toISOString(), updated_at: r.updatedAt.toISOString() };
}

import { ApiProperty } from '@nestjs/swagger';

export class ConfigVarsModel {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) vars: Record<string, string>;
  @ApiProperty({ description: 'Version of the environment' }) version: number;
}

export class ConfigVarsUpdateModel extends ConfigVarsModel {
  @ApiProperty({ type: Number, nullable: true, description: 'Release this change created; null when the environment has never been deployed or nothing changed' })
  release: number | null;
}

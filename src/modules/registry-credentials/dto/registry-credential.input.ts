import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsRegistryHost } from '../registry-host.js';

/** The login itself: PUT /{registry} takes the registry from the path. */
export class RegistryLoginInput {
  @ApiProperty({ example: 'ci-bot' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  username: string;

  @ApiProperty({ description: 'Password or access token; write-only, stored encrypted' })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  password: string;
}

export class PutRegistryCredentialInput extends RegistryLoginInput {
  @ApiProperty({ example: 'ghcr.io', description: 'Registry host (and port), as it appears in image references' })
  @IsRegistryHost()
  registry: string;
}

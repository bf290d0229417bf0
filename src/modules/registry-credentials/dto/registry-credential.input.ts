import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const REGISTRY_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

export class PutRegistryCredentialInput {
  @ApiProperty({ example: 'ghcr.io', description: 'Registry host (and port), as it appears in image references' })
  @Matches(REGISTRY_HOST, { message: 'must be a registry host such as ghcr.io or registry.example.com:5000' })
  @MaxLength(253)
  registry: string;

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

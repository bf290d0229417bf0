import { ApiProperty } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsRegistryHost } from '../registry-host.js';

/** The login itself: PUT /{registry} takes the registry from the path. */
@InputType({ description: 'The login for a registry' })
export class RegistryLoginInput {
  @Field({ description: 'User name of the login' })
  @ApiProperty({ example: 'ci-bot' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  username: string;

  @Field({ description: 'Password or access token; write-only, stored encrypted' })
  @ApiProperty({ description: 'Password or access token; write-only, stored encrypted' })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  password: string;
}

@InputType({ isAbstract: true })
export class PutRegistryCredentialInput extends RegistryLoginInput {
  @Field({ description: 'Registry host (and port), as it appears in image references' })
  @ApiProperty({ example: 'ghcr.io', description: 'Registry host (and port), as it appears in image references' })
  @IsRegistryHost()
  registry: string;
}

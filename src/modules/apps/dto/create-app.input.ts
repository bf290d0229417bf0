import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';

@InputType({ isAbstract: true })
export class CreateAppInput {
  @Field({ description: 'DNS label, unique in the installation' })
  @ApiProperty({ description: 'DNS label, unique in the installation', example: 'checkout', maxLength: NAME_LIMITS.app })
  @IsDnsLabel(NAME_LIMITS.app)
  name: string;

  @Field({ description: 'Team name or id; you need the developer role on it' })
  @ApiProperty({ description: 'Team name or id; you need the developer role on it', example: 'payments' })
  @IsString()
  @MaxLength(64)
  team: string;

  @Field({ nullable: true, description: 'What the app is for (up to 500 characters)' })
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

@InputType({ isAbstract: true })
export class UpdateAppInput {
  @Field({ nullable: true, description: 'What the app is for (up to 500 characters)' })
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

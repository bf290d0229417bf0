import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';

@InputType({ isAbstract: true })
export class CreateTeamInput {
  @Field({ description: 'DNS label, unique in the installation' })
  @ApiProperty({ description: 'DNS label, unique in the installation', example: 'payments', maxLength: NAME_LIMITS.team })
  @IsDnsLabel(NAME_LIMITS.team)
  name: string;

  @Field({ name: 'displayName', nullable: true, description: 'Human-readable name (up to 100 characters)' })
  @ApiPropertyOptional({ example: 'Payments', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  display_name?: string;
}

@InputType({ isAbstract: true })
export class UpdateTeamInput {
  @Field({ name: 'displayName', nullable: true, description: 'Human-readable name (up to 100 characters)' })
  @ApiPropertyOptional({ example: 'Payments & Billing', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  display_name?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';
import { SIZE_NAMES } from '../../sizes/sizes.catalogue.js';
import { SizeNameEnum } from '../../sizes/models/size.enums.js';

export const MAX_PROCESS_TYPES = 20;

@InputType({ description: 'Autoscaling bounds: replicas between min and max, aiming at targetCpu percent of the requested CPU' })
export class AutoscalingInput {
  @Field(() => Int, { description: 'Fewest replicas (1 to 100)' })
  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  min: number;

  @Field(() => Int, { description: 'Most replicas (1 to 100)' })
  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  max: number;

  @Field(() => Int, { name: 'targetCpu', description: 'Average CPU utilisation (% of the request) to aim for' })
  @ApiProperty({ minimum: 1, maximum: 100, description: 'Average CPU utilisation (% of the request) to aim for' })
  @IsInt()
  @Min(1)
  @Max(100)
  target_cpu: number;
}

@InputType({ description: 'One process type of the formation: what to run, how many, how big' })
export class ProcessTypeInput {
  @Field({ description: 'Process type to create or change' })
  @ApiProperty({ example: 'web', maxLength: NAME_LIMITS.processType, description: 'Process type to create or change' })
  @IsDnsLabel(NAME_LIMITS.processType)
  type: string;

  @Field(() => String, { nullable: true, description: 'null runs the image\'s own command' })
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, description: 'null runs the image\'s own command' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  command?: string | null;

  @Field(() => Int, { nullable: true, description: 'Replicas to run (0 to 100; default 1)' })
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  replicas?: number;

  @Field(() => SizeNameEnum, { nullable: true, description: 'The size of each replica (default SMALL)' })
  @ApiPropertyOptional({ enum: SIZE_NAMES, default: 'small' })
  @IsOptional()
  @IsIn(SIZE_NAMES, { message: `must be one of: ${SIZE_NAMES.join(', ')}` })
  size?: string;

  @Field(() => AutoscalingInput, { nullable: true, description: 'null turns autoscaling off' })
  @ApiPropertyOptional({ type: AutoscalingInput, nullable: true, description: 'null turns autoscaling off' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoscalingInput)
  autoscaling?: AutoscalingInput | null;

  @Field(() => Int, { nullable: true, description: 'web only; default 8080' })
  @ApiPropertyOptional({ minimum: 1, maximum: 65535, description: 'web only; default 8080' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @Field({ name: 'healthCheckPath', nullable: true, description: 'web only' })
  @ApiPropertyOptional({ example: '/healthz', maxLength: 200, description: 'web only' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^\/[\x21-\x7e]*$/, { message: 'must be a path starting with "/" (printable characters, no spaces)' })
  health_check_path?: string;
}

@InputType({ isAbstract: true })
export class UpdateFormationInput {
  @Field(() => [ProcessTypeInput], { name: 'processTypes', description: 'The process types to create or change; those not listed stay as they are' })
  @ApiProperty({ type: [ProcessTypeInput], maxItems: MAX_PROCESS_TYPES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROCESS_TYPES)
  @ValidateNested({ each: true })
  @Type(() => ProcessTypeInput)
  process_types: ProcessTypeInput[];
}

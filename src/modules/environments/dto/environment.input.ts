import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { JSONScalar } from '../../../graphql/types/json.scalar.js';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsLabelMap } from '../../../common/validation/labels.js';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';

@InputType()
export class CreateEnvironmentInput {
  @Field()
  @ApiProperty({ description: 'DNS label, unique in the app; `<app>-<name>` becomes the namespace', example: 'staging', maxLength: NAME_LIMITS.environment })
  @IsDnsLabel(NAME_LIMITS.environment)
  name: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  production?: boolean;

  @Field({ nullable: true })
  @ApiPropertyOptional({ default: false, description: 'Roll back automatically when a release fails its health checks' })
  @IsOptional()
  @IsBoolean()
  auto_rollback?: boolean;

  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'Cluster (name or id) to place the environment on; else chosen by cluster_selector, then least loaded' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cluster?: string;

  @Field(() => JSONScalar, { nullable: true })
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu-west' }, description: 'Labels the chosen cluster must have' })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  cluster_selector?: Record<string, string>;
}

@InputType()
export class UpdateEnvironmentInput {
  @Field({ nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  production?: boolean;

  @Field({ nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  auto_rollback?: boolean;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType, Int } from '@nestjs/graphql';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SECURITY_PROFILES } from '../../workloads/render/security.js';
import { IsLabelMap } from '../../../common/validation/labels.js';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';
import { SecurityProfileEnum } from '../models/environment.enums.js';

/** How an environment's releases run and fail: the settings creation and update share. */
@InputType({ isAbstract: true })
export class EnvironmentRunSettingsInput {
  @Field(() => SecurityProfileEnum, { name: 'securityProfile', nullable: true, description: 'Pod security: restricted (runs the image as uid 10001), image_user (the image\'s own non-root USER) or root (Pod Security baseline; only on clusters labelled berth.dev/allow-root=true). See docs/releases.md' })
  @ApiPropertyOptional({ enum: SECURITY_PROFILES, default: 'restricted', description: 'Pod security: restricted (runs the image as uid 10001), image_user (the image\'s own non-root USER) or root (Pod Security baseline; only on clusters labelled berth.dev/allow-root=true). See docs/releases.md' })
  @IsOptional()
  @IsIn(SECURITY_PROFILES)
  security_profile?: string;

  @Field(() => Int, { name: 'failureRestartThreshold', nullable: true, description: 'Container restarts after which a crashing release fails (and auto-rollback may act); one crash never counts' })
  @ApiPropertyOptional({ default: 3, minimum: 2, maximum: 100, description: 'Container restarts after which a crashing release fails (and auto-rollback may act); one crash never counts' })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(100)
  failure_restart_threshold?: number;

  @Field(() => Int, { name: 'progressDeadlineSeconds', nullable: true, description: 'Seconds a rollout may make no progress before the release fails' })
  @ApiPropertyOptional({ default: 300, minimum: 30, maximum: 3600, description: 'Seconds a rollout may make no progress before the release fails' })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(3600)
  progress_deadline_seconds?: number;
}

@InputType({ isAbstract: true })
export class CreateEnvironmentInput extends EnvironmentRunSettingsInput {
  @Field({ description: 'DNS label, unique in the app; `<app>-<name>` becomes the namespace' })
  @ApiProperty({ description: 'DNS label, unique in the app; `<app>-<name>` becomes the namespace', example: 'staging', maxLength: NAME_LIMITS.environment })
  @IsDnsLabel(NAME_LIMITS.environment)
  name: string;

  @Field({ nullable: true, description: 'Whether this is a production environment (default false)' })
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  production?: boolean;

  @Field({ name: 'autoRollback', nullable: true, description: 'Roll back automatically when a release fails its health checks' })
  @ApiPropertyOptional({ default: false, description: 'Roll back automatically when a release fails its health checks' })
  @IsOptional()
  @IsBoolean()
  auto_rollback?: boolean;

  @Field({ nullable: true, description: 'Cluster (name or id) to place the environment on; else chosen by cluster_selector, then least loaded' })
  @ApiPropertyOptional({ description: 'Cluster (name or id) to place the environment on; else chosen by cluster_selector, then least loaded' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cluster?: string;

  @Field(() => JSONScalar, { name: 'clusterSelector', nullable: true, description: 'Labels the chosen cluster must have' })
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu-west' }, description: 'Labels the chosen cluster must have' })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  cluster_selector?: Record<string, string>;
}

@InputType({ isAbstract: true })
export class UpdateEnvironmentInput extends EnvironmentRunSettingsInput {
  @Field({ nullable: true, description: 'Whether this is a production environment' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  production?: boolean;

  @Field({ name: 'autoRollback', nullable: true, description: 'Roll back automatically when a release fails its health checks' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  auto_rollback?: boolean;
}

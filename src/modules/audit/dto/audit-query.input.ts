import { ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsBase64, IsISO8601, IsNumberString, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';

@InputType('AuditEventFilter')
export class AuditQuery extends PageQuery {
  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'Team name or id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  team?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'Actor id (user id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'Action, e.g. release.create, or a prefix such as release.*' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/)
  @MaxLength(64)
  action?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'Target id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  target?: string;

  @Field({ name: 'targetType', nullable: true })
  @ApiPropertyOptional({ description: 'Target type, e.g. app' })
  @IsOptional()
  @Matches(/^[a-z_]+$/)
  target_type?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  environment?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'From this time (inclusive), ISO 8601' })
  @IsOptional()
  @IsISO8601()
  since?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ description: 'Until this time (exclusive), ISO 8601' })
  @IsOptional()
  @IsISO8601()
  until?: string;
}

@InputType('AuditVerifyInput')
export class VerifyQuery {
  @Field({ name: 'headSeq', nullable: true })
  @ApiPropertyOptional({ description: 'seq of a previously exported signed head' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  head_seq?: string;

  @Field({ name: 'headHash', nullable: true })
  @ApiPropertyOptional({ description: 'hash of that head' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  head_hash?: string;

  @Field({ name: 'headExportedAt', nullable: true })
  @ApiPropertyOptional({ description: 'exported_at of that head' })
  @IsOptional()
  @IsISO8601()
  head_exported_at?: string;

  @Field({ name: 'headSignature', nullable: true })
  @ApiPropertyOptional({ description: 'signature of that head' })
  @IsOptional()
  @IsBase64()
  head_signature?: string;
}

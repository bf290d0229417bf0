import { ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBase64, IsISO8601, IsNumberString, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

/** GraphQL's DateTime arrives as a Date; REST's query string as text: the service reads ISO text. */
const isoText = () => Transform(({ value }: { value: unknown }) => (value instanceof Date ? value.toISOString() : value));

@InputType('AuditEventFilter', { description: 'Which audit events to list; every field given narrows the list' })
export class AuditQuery extends PageQuery {
  @Field({ nullable: true, description: 'Team name or id' })
  @ApiPropertyOptional({ description: 'Team name or id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  team?: string;

  @Field({ nullable: true, description: 'Actor id (user id)' })
  @ApiPropertyOptional({ description: 'Actor id (user id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @Field({ nullable: true, description: 'Action, e.g. release.create, or a prefix such as release.*' })
  @ApiPropertyOptional({ description: 'Action, e.g. release.create, or a prefix such as release.*' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/)
  @MaxLength(64)
  action?: string;

  @Field({ nullable: true, description: 'Target id' })
  @ApiPropertyOptional({ description: 'Target id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  target?: string;

  @Field({ name: 'targetType', nullable: true, description: 'Target type, e.g. app' })
  @ApiPropertyOptional({ description: 'Target type, e.g. app' })
  @IsOptional()
  @Matches(/^[a-z_]+$/)
  target_type?: string;

  @Field({ nullable: true, description: 'Environment id' })
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  environment?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'From this time (inclusive)' })
  @ApiPropertyOptional({ description: 'From this time (inclusive), ISO 8601' })
  @isoText()
  @IsOptional()
  @IsISO8601()
  since?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Until this time (exclusive)' })
  @ApiPropertyOptional({ description: 'Until this time (exclusive), ISO 8601' })
  @isoText()
  @IsOptional()
  @IsISO8601()
  until?: string;
}

@InputType('AuditVerifyInput', { description: 'A signed head exported earlier, to check the chain against; without one the chain is checked from its start' })
export class VerifyQuery {
  @Field({ name: 'headSeq', nullable: true, description: 'seq of a previously exported signed head' })
  @ApiPropertyOptional({ description: 'seq of a previously exported signed head' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  head_seq?: string;

  @Field({ name: 'headHash', nullable: true, description: 'hash of that head' })
  @ApiPropertyOptional({ description: 'hash of that head' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  head_hash?: string;

  @Field(() => DateTimeScalar, { name: 'headExportedAt', nullable: true, description: 'exportedAt of that head' })
  @ApiPropertyOptional({ description: 'exported_at of that head' })
  @isoText()
  @IsOptional()
  @IsISO8601()
  head_exported_at?: string;

  @Field({ name: 'headSignature', nullable: true, description: 'signature of that head' })
  @ApiPropertyOptional({ description: 'signature of that head' })
  @IsOptional()
  @IsBase64()
  head_signature?: string;
}

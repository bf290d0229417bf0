import { ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

@InputType({ isAbstract: true })
export class UpdateQuotaInput {
  @Field(() => Int, { nullable: true, description: 'Most apps the team may have' }) @ApiPropertyOptional({ minimum: 0, maximum: 10_000 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) apps?: number;
  @Field(() => Int, { nullable: true, description: 'Most environments the team may have' }) @ApiPropertyOptional({ minimum: 0, maximum: 100_000 }) @IsOptional() @IsInt() @Min(0) @Max(100_000) environments?: number;
  @Field(() => Int, { name: 'cpuMillis', nullable: true, description: 'CPU the team may request in all, in millicores' }) @ApiPropertyOptional({ minimum: 0, maximum: 100_000_000 }) @IsOptional() @IsInt() @Min(0) @Max(100_000_000) cpu_millis?: number;
  @Field(() => Int, { name: 'memoryMib', nullable: true, description: 'Memory the team may request in all, in MiB' }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000_000 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) memory_mib?: number;
  @Field(() => Int, { name: 'replicasPerProcess', nullable: true, description: 'Most replicas of one process type' }) @ApiPropertyOptional({ minimum: 0, maximum: 1000 }) @IsOptional() @IsInt() @Min(0) @Max(1000) replicas_per_process?: number;
  @Field(() => Int, { name: 'releasesRetained', nullable: true, description: 'Releases kept per environment' }) @ApiPropertyOptional({ minimum: 1, maximum: 10_000 }) @IsOptional() @IsInt() @Min(1) @Max(10_000) releases_retained?: number;
}

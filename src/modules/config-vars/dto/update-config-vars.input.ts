import { ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString } from 'class-validator';
import { CONFIG_LIMITS } from '../../../common/validation/names.js';

// Keys and values of `set` are checked by ConfigVarsService: a map's keys are not expressible in
// class-validator, and the problem must name the offending key (`set.BAD-KEY`).
@InputType({ isAbstract: true })
export class UpdateConfigVarsInput {
  @Field(() => JSONScalar, { nullable: true, description: 'Name → value to set' })
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { DATABASE_URL: 'postgres://…', LOG_LEVEL: 'info' } })
  @IsOptional()
  @IsObject()
  set?: Record<string, unknown>;

  @Field(() => [String], { nullable: true, description: 'Names of config vars to remove' })
  @ApiPropertyOptional({ type: [String], example: ['OLD_FLAG'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONFIG_LIMITS.keys)
  @IsString({ each: true })
  unset?: string[];
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

@InputType({ isAbstract: true })
export class CreateTokenInput {
  @Field({ nullable: true, description: 'What the token is for, shown when tokens are listed' })
  @ApiPropertyOptional({ example: 'CI deploys for payments', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @Field(() => Int, { name: 'expiresIn', nullable: true, description: 'Lifetime in seconds; omit for a token that does not expire' })
  @ApiPropertyOptional({ description: 'Lifetime in seconds; omit for a token that does not expire', minimum: 60, maximum: 31_536_000 * 5 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(31_536_000 * 5)
  expires_in?: number;

  @Field({ name: 'userId', nullable: true, description: 'Mint the token for another user (platform admins only)' })
  @ApiPropertyOptional({ format: 'uuid', description: 'Mint the token for another user (platform admins only)' })
  @IsOptional()
  @IsUUID()
  user_id?: string;
}

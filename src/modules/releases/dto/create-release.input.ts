import { ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsImageReference } from '../../../common/validation/decorators.js';

/** Exactly one of `image` (deploy) and `rollback_to` (rollback); the service enforces it. */
@InputType({ isAbstract: true })
export class CreateReleaseInput {
  @Field({ nullable: true, description: 'Image to deploy; pin it with @sha256:… to make the release reproducible' })
  @ApiPropertyOptional({ description: 'Image to deploy; pin it with @sha256:… to make the release reproducible', example: 'registry.example.com/payments/checkout:1.4.2' })
  @IsOptional()
  @IsImageReference()
  image?: string;

  @Field(() => Int, { name: 'rollbackTo', nullable: true, description: 'Release number to roll back to (its image and config)' })
  @ApiPropertyOptional({ description: 'Release number to roll back to (its image and config)', example: 6, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  rollback_to?: number;

  @Field({ nullable: true, description: 'What this release changes (up to 500 characters)' })
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

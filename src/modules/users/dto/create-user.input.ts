import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

@InputType({ isAbstract: true })
export class CreateUserInput {
  @Field({ description: 'E-mail address, unique in the installation' })
  @ApiProperty({ example: 'dev@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field({ description: 'Display name' })
  @ApiProperty({ example: 'Dana Developer' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field({ name: 'platformAdmin', nullable: true, description: 'Whether the user administers the whole platform (default false)' })
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  platform_admin?: boolean;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

@InputType({ isAbstract: true })
export class CreateUserInput {
  @Field()
  @ApiProperty({ example: 'dev@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field()
  @ApiProperty({ example: 'Dana Developer' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field({ name: 'platformAdmin', nullable: true })
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  platform_admin?: boolean;
}

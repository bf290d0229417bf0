import { ApiProperty } from '@nestjs/swagger';
import { Field, InputType } from '@nestjs/graphql';
import { IsHostname } from '../../../common/validation/decorators.js';

@InputType({ isAbstract: true })
export class CreateDomainInput {
  @Field({ description: 'Fully qualified, lowercase; unique in the installation; a leading "*." is a wildcard' })
  @ApiProperty({ description: 'Fully qualified, lowercase; unique in the installation; a leading "*." is a wildcard', example: 'shop.example.com' })
  @IsHostname()
  hostname: string;
}

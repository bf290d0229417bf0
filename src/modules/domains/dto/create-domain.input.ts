import { ApiProperty } from '@nestjs/swagger';
import { IsHostname } from '../../../common/validation/decorators.js';

export class CreateDomainInput {
  @ApiProperty({ description: 'Fully qualified, lowercase; unique in the installation; a leading "*." is a wildcard', example: 'shop.example.com' })
  @IsHostname()
  hostname: string;
}

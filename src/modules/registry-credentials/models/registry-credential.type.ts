import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

/** A team's login for a container registry over GraphQL; the password is write-only. */
@ObjectType('RegistryCredential', { description: 'A team\'s login for a container registry; the password is write-only' })
export class RegistryCredentialType {
  @Field(() => ID) id: string;
  @Field({ description: 'Registry host (and port), as it appears in image references' }) registry: string;
  @Field() username: string;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

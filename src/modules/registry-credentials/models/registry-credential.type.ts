import { Field, ObjectType } from '@nestjs/graphql';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

/** A team's login for a container registry over GraphQL; the password is write-only. */
@ObjectType('RegistryCredential', { implements: () => [NodeType], description: "A team's login for a container registry; the password is write-only" })
export class RegistryCredentialType extends NodeType {
  @Field({ description: 'Registry host (and port), as it appears in image references' }) registry: string;
  @Field({ description: 'User name for the registry' }) username: string;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the login was first set' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When it was last replaced' }) updated_at: string;
}

// The App object type. Its links (team, environments) are resolved by AppsResolver.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ResourceStateEnum } from '../../environments/models/environment.enums.js';

@ObjectType('App', { implements: () => [NodeType], description: 'An application of a team, deployed to one or more environments' })
export class AppType extends NodeType {
  @Field({ description: 'Unique in the installation; a DNS label' }) name: string;
  @Field({ description: 'Free text' }) description: string;
  @Field(() => ResourceStateEnum, { description: 'DELETING once deletion was asked for' }) state: string;
  @Field(() => Int, { description: 'Optimistic concurrency version (pass as expectedVersion)' }) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the app was created' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When the app last changed' }) updated_at: string;
}

@ObjectType('AppConnection', { description: 'A page of apps' })
export class AppConnection extends Connection(AppType, 'App') {}

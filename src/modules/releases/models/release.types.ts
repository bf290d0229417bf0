import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { ProcessTypeSnapshotType } from '../../environments/models/environment-parts.types.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ReleasePhaseEnum, ReleaseReasonEnum } from './release.enums.js';

@ObjectType('ReleaseCreator')
export class ReleaseCreatorType {
  @Field() id: string;
  @Field() email: string;
}

@ObjectType('ReleaseStatus')
export class ReleaseStatusType {
  @Field(() => ReleasePhaseEnum) phase: string;
  @Field(() => ReleaseReasonEnum, { nullable: true, description: 'Machine-readable cause; null only when succeeded' }) reason: string | null;
  @Field(() => String, { nullable: true, description: 'What is happening or went wrong, and what to do' }) message: string | null;
  @Field(() => Int, { name: 'supersededBy', nullable: true, description: 'When superseded: the release that replaced this one' }) superseded_by: number | null;
  @Field({ description: 'The release will not change again' }) terminal: boolean;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('Release', { implements: () => [NodeType] })
export class ReleaseType extends NodeType {
  @Field(() => Int) number: number;
  @Field({ name: 'versionLabel' }) version_label: string;
  @Field() image: string;
  @Field(() => String, { name: 'imageDigest', nullable: true }) image_digest: string | null;
  @Field(() => [String], { name: 'configKeys' }) config_keys: string[];
  @Field(() => [ProcessTypeSnapshotType]) formation: ProcessTypeSnapshotType[];
  @Field() description: string;
  @Field(() => Int, { name: 'rollbackOf', nullable: true }) rollback_of: number | null;
  @Field(() => ReleaseCreatorType, { name: 'createdBy', nullable: true }) created_by: ReleaseCreatorType | null;
  @Field(() => ReleaseStatusType) status: ReleaseStatusType;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
}

@ObjectType('ReleaseConnection')
export class ReleaseConnection extends Connection(ReleaseType, 'Release') {}

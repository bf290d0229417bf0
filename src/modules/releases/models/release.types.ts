// The Release object type. Its links (environment, creator) are resolved by ReleasesResolver.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { ProcessTypeSnapshotType } from '../../environments/models/environment-parts.types.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ReleasePhaseEnum, ReleaseReasonEnum } from './release.enums.js';

@ObjectType('ReleaseStatus', { description: 'Where a release stands (docs/releases.md): every non-terminal phase has a reason and a message' })
export class ReleaseStatusType {
  @Field(() => ReleasePhaseEnum, { description: 'SUCCEEDED, FAILED and SUPERSEDED are terminal' }) phase: string;
  @Field(() => ReleaseReasonEnum, { nullable: true, description: 'Machine-readable cause; null only when succeeded' }) reason: string | null;
  @Field(() => String, { nullable: true, description: 'What is happening or went wrong, and what to do' }) message: string | null;
  @Field(() => Int, { name: 'supersededBy', nullable: true, description: 'When superseded: the release that replaced this one' }) superseded_by: number | null;
  @Field({ description: 'The release will not change again' }) terminal: boolean;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When the phase last changed' }) updated_at: string;
}

@ObjectType('Release', { implements: () => [NodeType], description: 'An immutable, numbered deploy of an environment: image, config and formation' })
export class ReleaseType extends NodeType {
  @Field(() => Int, { description: 'v1, v2, … per environment, without gaps' }) number: number;
  @Field({ name: 'versionLabel', description: 'The number as people write it (v7)' }) version_label: string;
  @Field({ description: 'The image reference deployed' }) image: string;
  @Field(() => String, { name: 'imageDigest', nullable: true, description: 'The digest the image reference pins, when it names one' }) image_digest: string | null;
  @Field(() => [String], { name: 'configKeys', description: 'Config var names in this release (values are never shown)' }) config_keys: string[];
  @Field(() => [ProcessTypeSnapshotType], { description: 'The process types as they were when the release was made' }) formation: ProcessTypeSnapshotType[];
  @Field({ description: 'Why the release was made' }) description: string;
  @Field(() => Int, { name: 'rollbackOf', nullable: true, description: 'The release number this one rolled back to' }) rollback_of: number | null;
  @Field(() => ReleaseStatusType, { description: 'Live status on the cluster' }) status: ReleaseStatusType;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the release was made' }) created_at: string;
}

@ObjectType('ReleaseConnection', { description: 'A page of releases, newest first' })
export class ReleaseConnection extends Connection(ReleaseType, 'Release') {}

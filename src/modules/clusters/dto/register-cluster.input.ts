import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { IsBoolean, IsObject, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { IsLabelMap } from '../../../common/validation/labels.js';

/** Exactly one way to reach the cluster: a kubeconfig, or server + (token | client certificate). */
@InputType({ isAbstract: true })
export class RegisterClusterInput {
  @Field({ description: 'DNS label, unique' })
  @ApiProperty({ example: 'eu-west-1', description: 'DNS label, unique' })
  @IsDnsLabel(40)
  name: string;

  @Field(() => JSONScalar, { nullable: true, description: 'Labels (string values) that environments choose clusters by with clusterSelector, e.g. region' })
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu-west', tier: 'standard' } })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  labels?: Record<string, string>;

  @Field({ name: 'ingressClassName', nullable: true, description: 'The IngressClass the cluster\'s domains are routed through' })
  @ApiPropertyOptional({ example: 'nginx' })
  @IsOptional()
  @IsDnsLabel(63)
  ingress_class_name?: string;

  @Field({ nullable: true, description: 'A whole kubeconfig (YAML); write-only' })
  @ApiPropertyOptional({ description: 'A whole kubeconfig (YAML); write-only' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256 * 1024)
  kubeconfig?: string;

  @Field({ nullable: true, description: 'Context to use from the kubeconfig (default: its current context)' })
  @ApiPropertyOptional({ description: 'Context to use from the kubeconfig (default: its current context)' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  context?: string;

  @Field({ nullable: true, description: 'API server URL, with token or a client certificate, when no kubeconfig is given' })
  @ApiPropertyOptional({ example: 'https://k8s.example.com:6443' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  server?: string;

  @Field({ name: 'caData', nullable: true, description: 'Base64 PEM of the cluster CA' })
  @ApiPropertyOptional({ description: 'Base64 PEM of the cluster CA' })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  ca_data?: string;

  @Field({ nullable: true, description: 'Bearer token of a service account (write-only)' })
  @ApiPropertyOptional({ description: 'Bearer token of a service account (write-only)' })
  @IsOptional()
  @IsString()
  @MaxLength(16 * 1024)
  token?: string;

  @Field({ name: 'clientCertificateData', nullable: true, description: 'Base64 PEM client certificate (write-only)' })
  @ApiPropertyOptional({ description: 'Base64 PEM client certificate (write-only)' })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  client_certificate_data?: string;

  @Field({ name: 'clientKeyData', nullable: true, description: 'Base64 PEM client key (write-only)' })
  @ApiPropertyOptional({ description: 'Base64 PEM client key (write-only)' })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  client_key_data?: string;

  @Field({ name: 'insecureSkipTlsVerify', nullable: true, description: 'Skip verifying the API server\'s TLS certificate (default false)' })
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  insecure_skip_tls_verify?: boolean;
}

@InputType({ isAbstract: true })
export class UpdateClusterInput {
  @Field(() => JSONScalar, { nullable: true, description: 'The cluster\'s labels, replacing the old ones' })
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  labels?: Record<string, string>;

  @Field({ name: 'ingressClassName', nullable: true, description: 'The IngressClass the cluster\'s domains are routed through' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsDnsLabel(63)
  ingress_class_name?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { IsLabelMap } from '../../../common/validation/labels.js';

/** Exactly one way to reach the cluster: a kubeconfig, or server + (token | client certificate). */
export class RegisterClusterInput {
  @ApiProperty({ example: 'eu-west-1', description: 'DNS label, unique' })
  @IsDnsLabel(40)
  name: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu-west', tier: 'standard' } })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  labels?: Record<string, string>;

  @ApiPropertyOptional({ example: 'nginx' })
  @IsOptional()
  @IsDnsLabel(63)
  ingress_class_name?: string;

  @ApiPropertyOptional({ description: 'A whole kubeconfig (YAML); write-only' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256 * 1024)
  kubeconfig?: string;

  @ApiPropertyOptional({ description: 'Context to use from the kubeconfig (default: its current context)' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  context?: string;

  @ApiPropertyOptional({ example: 'https://k8s.example.com:6443' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  server?: string;

  @ApiPropertyOptional({ description: 'Base64 PEM of the cluster CA' })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  ca_data?: string;

  @ApiPropertyOptional({ description: 'Bearer token of a service account (write-only)' })
  @IsOptional()
  @IsString()
  @MaxLength(16 * 1024)
  token?: string;

  @ApiPropertyOptional({ description: 'Base64 PEM client certificate (write-only)' })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  client_certificate_data?: string;

  @ApiPropertyOptional({ description: 'Base64 PEM client key (write-only)' })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  client_key_data?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  insecure_skip_tls_verify?: boolean;
}

export class UpdateClusterInput {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  labels?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDnsLabel(63)
  ingress_class_name?: string;
}

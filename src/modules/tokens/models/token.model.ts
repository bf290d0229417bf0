import { ApiProperty } from '@nestjs/swagger';

export class TokenModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'berth_AbC123', description: 'The first characters, to tell tokens apart' }) prefix: string;
  @ApiProperty({ nullable: true, type: String }) expires_at: string | null;
  @ApiProperty({ nullable: true, type: String }) revoked_at: string | null;
  @ApiProperty({ nullable: true, type: String }) last_used_at: string | null;
  @ApiProperty() created_at: string;
}

export class CreatedTokenModel extends TokenModel {
  @ApiProperty({ description: 'The token itself. Shown this once; Berth keeps only its hash.' }) token: string;
}

export interface TokenRecord {
  id: string;
  userId: string;
  description: string;
  prefix: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTokenModel(r: TokenRecord): TokenModel {
  return {
    id: r.id,
    user_id: r.userId,
    description: r.description,
    prefix: r.prefix,
    expires_at: iso(r.expiresAt),
    revoked_at: iso(r.revokedAt),
    last_used_at: iso(r.lastUsedAt),
    created_at: r.createdAt.toISOString(),
  };
}

// Signs the audit chain head with Ed25519, so a verifier holding only the public key can later
// prove the log still contains what it contained when the head was exported (no truncation).
import { createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SignedHead {
  seq: string;
  hash: string;
  exported_at: string;
  algorithm: 'ed25519';
  key_id: string;
  signature: string;
}

export class AuditSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(seed: Buffer) {
    if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = (this.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64url').slice(0, 16);
  }

  /** The configured seed, or one derived from the encryption key so every replica agrees. */
  static fromConfig(signingKey: string | undefined, encryptionKey: string): AuditSigner {
    const seed = signingKey
      ? Buffer.from(signingKey, 'base64')
      : Buffer.from(hkdfSync('sha256', Buffer.from(encryptionKey, 'base64'), Buffer.alloc(0), 'berth audit head signing', 32));
    return new AuditSigner(seed);
  }

  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  signHead(seq: bigint, hash: string, at: Date = new Date()): SignedHead {
    const exported_at = at.toISOString();
    const signature = sign(null, Buffer.from(payload(seq.toString(), hash, exported_at)), this.privateKey).toString('base64');
    return { seq: seq.toString(), hash, exported_at, algorithm: 'ed25519', key_id: this.keyId, signature };
  }

  verifyHead(head: Pick<SignedHead, 'seq' | 'hash' | 'exported_at' | 'signature'>): boolean {
    try {
      return verify(null, Buffer.from(payload(head.seq, head.hash, head.exported_at)), this.publicKey, Buffer.from(head.signature, 'base64'));
    } catch {
      return false;
    }
  }
}

function payload(seq: string, hash: string, exportedAt: string): string {
  return `berth-audit-head\n${seq}\n${hash}\n${exportedAt}`;
}

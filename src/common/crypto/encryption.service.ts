// Encrypts secrets at rest with AES-256-GCM. Ciphertexts name the key that made them, so keys can
// be rotated: the first configured key encrypts, all configured keys decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

interface Key {
  id: string;
  bytes: Buffer;
}

export class EncryptionService {
  private readonly keys: Key[];

  constructor(base64Keys: string[]) {
    if (base64Keys.length === 0) throw new Error('at least one encryption key is required');
    this.keys = base64Keys.map((k) => {
      const bytes = Buffer.from(k, 'base64');
      return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
    });
  }

  /** Base64 of the current key, for deriving other keys (e.g. the audit signing key) from it. */
  get currentKeyMaterial(): string {
    return this.keys[0]!.bytes.toString('base64');
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const key = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', key.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, associatedData = ''): string {
    const [version, keyId, iv, tag, body] = ciphertext.split('.');
    if (version !== 'v1' || !keyId || iv === undefined || tag === undefined || body === undefined) {
      throw new Error('not a Berth ciphertext');
    }
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) throw new Error(`ciphertext was made with key ${keyId}, which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  encryptJson(value: unknown, associatedData = ''): string {
    return this.encrypt(JSON.stringify(value), associatedData);
  }

  decryptJson<T>(ciphertext: string, associatedData = ''): T {
    return JSON.parse(this.decrypt(ciphertext, associatedData)) as T;
  }

  /** True when the ciphertext was not made with the current key (re-encrypt on rotation). */
  needsRotation(ciphertext: string): boolean {
    return ciphertext.split('.')[1] !== this.currentKeyId;
  }
}

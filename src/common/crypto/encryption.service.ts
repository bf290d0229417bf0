// Encrypts secrets at rest with envelope encryption: every value gets its own random data key
// (AES-256-GCM, bound to its record by associated data), and that data key is wrapped by the
// key-encryption key from BERTH_ENCRYPTION_KEY. Rotating the KEK only re-wraps data keys (see
// rewrap), so a rotation never needs the plaintext or the record it belongs to. Ciphertexts name
// the KEK that wrapped them: the first configured key wraps, all configured keys unwrap.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

interface Key {
  id: string;
  bytes: Buffer;
}

const WRAP_AAD = Buffer.from('berth-data-key-v2');

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; body: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), body };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, body: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

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
    const kek = this.keys[0]!;
    const dataKey = randomBytes(32);
    const data = seal(dataKey, Buffer.from(plaintext, 'utf8'), Buffer.from(associatedData));
    const wrapped = seal(kek.bytes, dataKey, WRAP_AAD);
    return ['v2', kek.id, b64(wrapped.iv), b64(wrapped.tag), b64(wrapped.body), b64(data.iv), b64(data.tag), b64(data.body)].join('.');
  }

  decrypt(ciphertext: string, associatedData = ''): string {
    const parts = ciphertext.split('.');
    if (parts[0] === 'v2' && parts.length === 8) {
      const [, keyId, wIv, wTag, wBody, iv, tag, body] = parts as [string, string, string, string, string, string, string, string];
      const dataKey = open(this.key(keyId).bytes, unb64(wIv), unb64(wTag), unb64(wBody), WRAP_AAD);
      return open(dataKey, unb64(iv), unb64(tag), unb64(body), Buffer.from(associatedData)).toString('utf8');
    }
    // v1: the value encrypted directly with the key (before envelope encryption).
    if (parts[0] === 'v1' && parts.length === 5) {
      const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
      return open(this.key(keyId).bytes, unb64(iv), unb64(tag), unb64(body), Buffer.from(associatedData)).toString('utf8');
    }
    throw new Error('not a Berth ciphertext');
  }

  encryptJson(value: unknown, associatedData = ''): string {
    return this.encrypt(JSON.stringify(value), associatedData);
  }

  decryptJson<T>(ciphertext: string, associatedData = ''): T {
    return JSON.parse(this.decrypt(ciphertext, associatedData)) as T;
  }

  /** True when the ciphertext was not wrapped with the current key. */
  needsRotation(ciphertext: string): boolean {
    return ciphertext.split('.')[1] !== this.currentKeyId;
  }

  /**
   * The same secret with its data key wrapped by the current key; the value itself is neither
   * decrypted nor re-encrypted. Returns the ciphertext unchanged when it is current.
   */
  rewrap(ciphertext: string): string {
    if (!this.needsRotation(ciphertext)) return ciphertext;
    const parts = ciphertext.split('.');
    if (parts[0] !== 'v2' || parts.length !== 8) throw new Error('only envelope (v2) ciphertexts can be re-wrapped');
    const [, keyId, wIv, wTag, wBody, iv, tag, body] = parts as [string, string, string, string, string, string, string, string];
    const dataKey = open(this.key(keyId).bytes, unb64(wIv), unb64(wTag), unb64(wBody), WRAP_AAD);
    const kek = this.keys[0]!;
    const wrapped = seal(kek.bytes, dataKey, WRAP_AAD);
    return ['v2', kek.id, b64(wrapped.iv), b64(wrapped.tag), b64(wrapped.body), iv, tag, body].join('.');
  }

  private key(id: string): Key {
    const key = this.keys.find((k) => k.id === id);
    if (!key) throw new Error(`ciphertext was made with key ${id}, which is not configured`);
    return key;
  }
}

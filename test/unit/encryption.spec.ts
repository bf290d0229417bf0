import { describe, expect, it } from '@jest/globals';
import { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import { createHash } from 'node:crypto';
import { generateToken, hashToken } from '../../src/common/crypto/tokens.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');

describe('encryption at rest', () => {
  it('round-trips and never contains the plaintext', () => {
    const crypto = new EncryptionService([key(1)]);
    const secret = 'postgres://user:hunter2@db/prod';
    const sealed = crypto.encrypt(secret, 'env-1');
    expect(sealed).not.toContain('hunter2');
    expect(crypto.decrypt(sealed, 'env-1')).toBe(secret);
  });

  it('uses a fresh IV every time', () => {
    const crypto = new EncryptionService([key(1)]);
    expect(crypto.encrypt('same')).not.toBe(crypto.encrypt('same'));
  });

  it('binds a ciphertext to its associated data (no copying between records)', () => {
    const crypto = new EncryptionService([key(1)]);
    const sealed = crypto.encrypt('x', 'env-1');
    expect(() => crypto.decrypt(sealed, 'env-2')).toThrow();
  });

  it('detects tampering', () => {
    const crypto = new EncryptionService([key(1)]);
    const parts = crypto.encrypt('value').split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => crypto.decrypt(parts.join('.'))).toThrow();
  });

  it('rotates: new key encrypts, old key still decrypts', () => {
    const old = new EncryptionService([key(1)]);
    const sealed = old.encrypt('value');
    const rotated = new EncryptionService([key(2), key(1)]);
    expect(rotated.decrypt(sealed)).toBe('value');
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('value'))).toBe(false);
    expect(() => new EncryptionService([key(2)]).decrypt(sealed)).toThrow(/not configured/);
  });
});

describe('API tokens', () => {
  it('are prefixed, random and hashed deterministically', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^berth_/);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).not.toBe(hashToken(b));
  });

  it('hash to the hex SHA-256 of their text (the form stored tokens were saved in)', () => {
    // FIPS 180-2's test vector, and a non-ASCII text (hashed as UTF-8).
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('berth_é')).toBe(createHash('sha256').update('berth_é', 'utf8').digest('hex'));
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiCipher } from './crypto.js';

describe('PiiCipher', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('round-trips text and JSON, never showing the plaintext', () => {
    const cipher = new PiiCipher([a]);
    const sealed = cipher.encrypt('ana@example.com');
    expect(sealed).not.toContain('ana');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(cipher.decrypt(sealed)).toBe('ana@example.com');
    expect(cipher.decryptJson(cipher.encryptJson({ email: 'x@y.z', n: 1 }))).toEqual({
      email: 'x@y.z',
      n: 1,
    });
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('reads values sealed with an older key after a rotation, and seals new ones with the new key', () => {
    const old = new PiiCipher([a]);
    const sealedOld = old.encrypt('before');
    const rotated = new PiiCipher([b, a]);
    expect(rotated.decrypt(sealedOld)).toBe('before');
    const sealedNew = rotated.encrypt('after');
    expect(sealedNew.split('.')[1]).not.toBe(sealedOld.split('.')[1]);
    expect(() => old.decrypt(sealedNew)).toThrow(/unknown key/);
    expect(rotated.emailHash('Ana@Example.com ')).toBe(old.emailHash('ana@example.com'));
  });

  it('refuses a tampered value', () => {
    const cipher = new PiiCipher([a]);
    const parts = cipher.encrypt('amount=100').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0]! ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });
});

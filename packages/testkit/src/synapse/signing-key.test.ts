import { describe, expect, it } from '@jest/globals';
import { generateSigningKey } from './signing-key';

describe('generateSigningKey', () => {
  it('writes an ed25519 key line with a key id and a 32-byte unpadded base64 seed', () => {
    const line = generateSigningKey();
    const match = /^ed25519 (a_[A-Za-z0-9_-]{4}) ([A-Za-z0-9+/]+)\n$/.exec(line);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![2], 'base64')).toHaveLength(32);
  });

  it('makes a different key every time', () => {
    expect(generateSigningKey()).not.toBe(generateSigningKey());
  });
});

/**
 * Encryption at rest for the NickServ/SASL passwords Matrix users give the bridge: AES-256-GCM with
 * a key derived (HKDF-SHA256) from the configured secret, a fresh 12-byte IV per value, and the
 * auth tag checked on the way out, so a tampered or foreign value is refused rather than misread.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A sealed secret as stored (base64 fields; JSON-safe). */
export interface SealedSecret {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

export class CredentialDecryptError extends Error {
  constructor() {
    super('a stored IRC credential could not be decrypted (was secretKey changed?)');
    this.name = 'CredentialDecryptError';
  }
}

export class CredentialBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'trestle-irc', 'irc-credentials-v1', 32));
  }

  seal(plaintext: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  open(sealed: SealedSecret): string {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new CredentialDecryptError();
    }
  }
}

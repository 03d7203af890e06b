import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * A fresh ed25519 signing key in Synapse's file format (`ed25519 <key id> <unpadded base64 seed>`).
 *
 * Made in-process because `python -m synapse._scripts.generate_signing_key` costs ~0.7 s of
 * interpreter start-up per homeserver.
 */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const keyId = `a_${randomBytes(3).toString('base64url').slice(0, 4)}`;
  return `ed25519 ${keyId} ${seed.toString('base64').replace(/=+$/, '')}\n`;
}

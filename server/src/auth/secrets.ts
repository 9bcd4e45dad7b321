import { createHash, randomBytes } from 'node:crypto';

/** A random secret (256 bits) with a prefix telling what it is, e.g. `cpat_…` for access tokens. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What the store keeps instead of a secret: a leaked database yields no usable session or token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

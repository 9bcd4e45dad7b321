/**
 * Document ids are 16 characters of URL-safe base64 alphabet (96 random bits). They appear in
 * URLs (`/d/<id>`) and websocket paths, so anything else is rejected before touching storage.
 */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export function isDocumentId(value: unknown): value is string {
  return typeof value === 'string' && DOCUMENT_ID_PATTERN.test(value);
}

/** A new random id in the same form, for documents, users, groups, invites and tokens alike. */
export function newId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}


/** A BLOB (SQLite) or BYTEA (PostgreSQL) column's Buffer as the Uint8Array the stores answer with, without a copy. */
export const toBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

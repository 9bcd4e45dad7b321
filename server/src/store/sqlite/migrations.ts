/**
 * Versioned schema migrations. Append new entries; never edit an applied one.
 */
export const sqliteMigrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE documents (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        archived_at INTEGER
      );
      CREATE INDEX documents_updated_at ON documents (updated_at DESC);
      -- Appended Yjs updates; compaction folds a prefix of them into document_snapshots.
      CREATE TABLE document_updates (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL,
        data   BLOB NOT NULL
      );
      CREATE INDEX document_updates_doc ON document_updates (doc_id, seq);
      CREATE TABLE document_snapshots (
        doc_id   TEXT PRIMARY KEY,
        data     BLOB NOT NULL,
        upto_seq INTEGER NOT NULL
      );
    `,
  },
];

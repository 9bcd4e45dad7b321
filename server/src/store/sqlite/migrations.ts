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
  {
    version: 2,
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        is_admin      INTEGER NOT NULL DEFAULT 0,
        disabled_at   INTEGER,
        created_at    INTEGER NOT NULL
      );
      -- Sessions and tokens are found by a hash of their secret; the secret itself is never stored.
      CREATE TABLE sessions (
        id_hash    TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE access_tokens (
        id           TEXT PRIMARY KEY,
        user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        token_hash   TEXT NOT NULL UNIQUE,
        prefix       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER,
        expires_at   INTEGER
      );
      CREATE INDEX access_tokens_user ON access_tokens (user_id);
      CREATE TABLE working_groups (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE memberships (
        group_id  TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
        user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role      TEXT NOT NULL CHECK (role IN ('co-chair', 'member', 'secretariat', 'observer')),
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX memberships_user ON memberships (user_id);
      CREATE TABLE invites (
        id         TEXT PRIMARY KEY,
        group_id   TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('co-chair', 'member', 'secretariat', 'observer')),
        note       TEXT NOT NULL DEFAULT '',
        created_by TEXT NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,
        used_by    TEXT REFERENCES users (id),
        revoked_at INTEGER
      );
      CREATE INDEX invites_group ON invites (group_id);
      -- Documents created before groups existed keep NULL until the first account adopts them.
      ALTER TABLE documents ADD COLUMN group_id TEXT REFERENCES working_groups (id);
      CREATE INDEX documents_group ON documents (group_id, updated_at DESC);
    `,
  },
  {
    version: 3,
    sql: `
      -- Single-use links an administrator hands to someone who forgot their password.
      CREATE TABLE password_resets (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
      );
      CREATE INDEX password_resets_user ON password_resets (user_id);
    `,
  },
  {
    version: 4,
    sql: `
      -- Comment threads anchored to a document's text (Yjs relative positions, base64).
      CREATE TABLE threads (
        id                   TEXT PRIMARY KEY,
        doc_id               TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        author_id            TEXT NOT NULL REFERENCES users (id),
        anchor_start         TEXT NOT NULL,
        anchor_end           TEXT NOT NULL,
        quote                TEXT NOT NULL,
        created_at           INTEGER NOT NULL,
        resolved_disposition TEXT,
        resolved_reason      TEXT NOT NULL DEFAULT '',
        resolved_by          TEXT REFERENCES users (id),
        resolved_at          INTEGER
      );
      CREATE INDEX threads_doc ON threads (doc_id, created_at);
      CREATE TABLE comments (
        id         TEXT PRIMARY KEY,
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        author_id  TEXT NOT NULL REFERENCES users (id),
        body       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        edited_at  INTEGER,
        deleted_at INTEGER
      );
      CREATE INDEX comments_thread ON comments (thread_id, created_at);
      CREATE TABLE comment_mentions (
        comment_id TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users (id),
        PRIMARY KEY (comment_id, user_id)
      );
      -- Resolutions and reopenings, in order, so the thread's history stays readable.
      CREATE TABLE thread_events (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        thread_id   TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('resolved', 'reopened')),
        by_id       TEXT NOT NULL REFERENCES users (id),
        at          INTEGER NOT NULL,
        disposition TEXT,
        reason      TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX thread_events_thread ON thread_events (thread_id, seq);
    `,
  },
  {
    version: 5,
    sql: `
      -- Who made a document's changes: the person behind each Yjs client id (first claim wins)…
      CREATE TABLE document_clients (
        doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL,
        user_id   TEXT NOT NULL REFERENCES users (id),
        PRIMARY KEY (doc_id, client_id)
      );
      -- …and who deleted which items (Yjs records deletions without an author).
      CREATE TABLE document_deletions (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL,
        clock     INTEGER NOT NULL,
        len       INTEGER NOT NULL,
        user_id   TEXT NOT NULL REFERENCES users (id)
      );
      CREATE INDEX document_deletions_doc ON document_deletions (doc_id, seq);
      -- Named versions and automatic checkpoints: the document's full state (Y.encodeStateAsUpdate).
      CREATE TABLE document_versions (
        id             TEXT PRIMARY KEY,
        doc_id         TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        kind           TEXT NOT NULL CHECK (kind IN ('named', 'checkpoint')),
        name           TEXT NOT NULL DEFAULT '',
        note           TEXT NOT NULL DEFAULT '',
        meeting_date   TEXT,
        title          TEXT NOT NULL,
        state          BLOB NOT NULL,
        state_vector   BLOB NOT NULL,
        deletions_upto INTEGER NOT NULL,
        contributors   TEXT NOT NULL,
        created_by     TEXT REFERENCES users (id),
        created_at     INTEGER NOT NULL
      );
      CREATE INDEX document_versions_doc ON document_versions (doc_id, created_at);
    `,
  },
  {
    version: 6,
    sql: `
      -- A co-chair marks a document final (exports then leave out the DRAFT watermark by default).
      ALTER TABLE documents ADD COLUMN final_at INTEGER;
      ALTER TABLE documents ADD COLUMN final_by TEXT REFERENCES users (id);
    `,
  },
  {
    version: 7,
    sql: `
      -- Source papers: imported, read-only documents that members annotate and drafts cite.
      ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'draft' CHECK (kind IN ('draft', 'source'));
      ALTER TABLE documents ADD COLUMN cite_as TEXT;
      -- An annotation's stance on a source paper (null: a plain comment).
      ALTER TABLE threads ADD COLUMN stance TEXT CHECK (stance IN ('support', 'concern', 'question', 'proposal'));
    `,
  },
  {
    version: 8,
    sql: `
      -- Priority rounds on a source paper, and the paragraphs each person indicated in them.
      CREATE TABLE priority_rounds (
        id                TEXT PRIMARY KEY,
        source_id         TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        title             TEXT NOT NULL,
        max_choices       INTEGER NOT NULL,
        closes_at         INTEGER,
        include_observers INTEGER NOT NULL DEFAULT 0,
        secret            INTEGER NOT NULL DEFAULT 0,
        created_by        TEXT NOT NULL REFERENCES users (id),
        created_at        INTEGER NOT NULL,
        closed_at         INTEGER
      );
      CREATE INDEX priority_rounds_source ON priority_rounds (source_id, created_at);
      CREATE TABLE priority_indications (
        round_id   TEXT NOT NULL REFERENCES priority_rounds (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users (id),
        pid        TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (round_id, user_id, pid)
      );
    `,
  },
  {
    version: 9,
    sql: `
      -- Which drafts cite which source paragraphs (kept from the drafts' content).
      CREATE TABLE document_citations (
        doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        pid       TEXT NOT NULL,
        PRIMARY KEY (doc_id, source_id, pid)
      );
      CREATE INDEX document_citations_source ON document_citations (source_id);
    `,
  },
  {
    version: 10,
    sql: `
      -- What a personal access token may do (a JSON array of 'read', 'write', 'admin'). Tokens
      -- made before scopes existed keep what they could do then, except administration.
      ALTER TABLE access_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '["read","write"]';
    `,
  },
  {
    version: 11,
    sql: `
      -- A thread assigned to a person who should act on it, optionally by a date (YYYY-MM-DD).
      ALTER TABLE threads ADD COLUMN assignee_id TEXT REFERENCES users (id);
      ALTER TABLE threads ADD COLUMN due_date TEXT;
      ALTER TABLE threads ADD COLUMN assigned_by TEXT REFERENCES users (id);
      ALTER TABLE threads ADD COLUMN assigned_at INTEGER;
      CREATE INDEX threads_assignee ON threads (assignee_id);
      -- The e-mail queue: one row per message to send (immediate) or per person's digest (collecting
      -- notifications until due). A sender holds a row by its lease; attempts count claims.
      CREATE TABLE email_deliveries (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('immediate', 'digest')),
        state       TEXT NOT NULL CHECK (state IN ('collecting', 'queued', 'sent', 'skipped', 'failed')),
        due_at      INTEGER NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until INTEGER,
        last_error  TEXT,
        created_at  INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX email_deliveries_due ON email_deliveries (state, due_at);
      CREATE INDEX email_deliveries_user ON email_deliveries (user_id, created_at);
      CREATE UNIQUE INDEX email_deliveries_collecting ON email_deliveries (user_id) WHERE state = 'collecting';
      -- What concerns a person (their inbox); read through the person's current access only.
      CREATE TABLE notifications (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'assigned', 'decision', 'version', 'round')),
        doc_id      TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        thread_id   TEXT,
        comment_id  TEXT,
        actor_id    TEXT REFERENCES users (id),
        excerpt     TEXT NOT NULL DEFAULT '',
        detail      TEXT NOT NULL DEFAULT '',
        dedupe_key  TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        read_at     INTEGER,
        delivery_id TEXT REFERENCES email_deliveries (id) ON DELETE SET NULL
      );
      CREATE INDEX notifications_user ON notifications (user_id, created_at);
      CREATE INDEX notifications_delivery ON notifications (delivery_id);
      CREATE TABLE notification_settings (
        user_id   TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        immediate INTEGER NOT NULL DEFAULT 1,
        digest    TEXT NOT NULL DEFAULT 'daily' CHECK (digest IN ('off', 'hourly', 'daily')),
        email_off INTEGER NOT NULL DEFAULT 0
      );
      -- Secrets of the installation (the key that signs unsubscribe links), shared by its processes.
      CREATE TABLE server_secrets (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 12,
    sql: `
      -- When each person last opened each document ("since your last visit").
      CREATE TABLE document_visits (
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        doc_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        visited_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, doc_id)
      );
    `,
  },
  {
    version: 13,
    sql: `
      -- A notification kind more: a priority round closing soon. SQLite cannot change a CHECK, so
      -- the table is made anew with the same rows (nothing refers to it).
      CREATE TABLE notifications_new (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'assigned', 'decision', 'version', 'round', 'round-closing')),
        doc_id      TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        thread_id   TEXT,
        comment_id  TEXT,
        actor_id    TEXT REFERENCES users (id),
        excerpt     TEXT NOT NULL DEFAULT '',
        detail      TEXT NOT NULL DEFAULT '',
        dedupe_key  TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        read_at     INTEGER,
        delivery_id TEXT REFERENCES email_deliveries (id) ON DELETE SET NULL
      );
      INSERT INTO notifications_new (rowid, id, user_id, kind, doc_id, thread_id, comment_id, actor_id, excerpt, detail, dedupe_key, created_at, read_at, delivery_id)
        SELECT rowid, id, user_id, kind, doc_id, thread_id, comment_id, actor_id, excerpt, detail, dedupe_key, created_at, read_at, delivery_id FROM notifications;
      DROP TABLE notifications;
      ALTER TABLE notifications_new RENAME TO notifications;
      CREATE INDEX notifications_user ON notifications (user_id, created_at);
      CREATE INDEX notifications_delivery ON notifications (delivery_id);
    `,
  },
  {
    version: 14,
    sql: `
      -- Kinds of notification a person does not want by e-mail (they stay in the inbox) (a JSON array).
      ALTER TABLE notification_settings ADD COLUMN muted TEXT NOT NULL DEFAULT '[]';
    `,
  },
];

import type Database from 'better-sqlite3';
import type { Attribution, DocStore, DocumentChanges, DocumentRecord, StoredContent } from '../doc-store';
import { toBytes } from '../rows/bytes';
import { SELECT_DOCUMENTS, toDocument, type DocumentRow } from '../rows/documents';

/** Rows of deletions read per slice (a few milliseconds each). */
const ATTRIBUTION_PAGE_ROWS = 2000;

/** Document records and their Yjs content (snapshot + appended updates) in SQLite. Compaction is the caller's. */
export function sqliteDocuments(db: Database.Database): Omit<DocStore, 'compact' | 'close'> {
  const statements = {
    insertDocument: db.prepare(
      'INSERT INTO documents (id, title, group_id, created_at, updated_at, archived_at, kind, cite_as) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)',
    ),
    getDocument: db.prepare(`${SELECT_DOCUMENTS} WHERE documents.id = ?`),
    // Group ids come as one JSON array parameter, so the statement is prepared once for any number of groups.
    listActive: db.prepare(
      `${SELECT_DOCUMENTS} WHERE documents.archived_at IS NULL AND documents.group_id IN (SELECT value FROM json_each(?)) ORDER BY documents.updated_at DESC`,
    ),
    listArchived: db.prepare(
      `${SELECT_DOCUMENTS} WHERE documents.archived_at IS NOT NULL AND documents.group_id IN (SELECT value FROM json_each(?)) ORDER BY documents.archived_at DESC`,
    ),
    adoptUngrouped: db.prepare('UPDATE documents SET group_id = ? WHERE group_id IS NULL'),
    setTitle: db.prepare('UPDATE documents SET title = ? WHERE id = ?'),
    setArchived: db.prepare('UPDATE documents SET archived_at = ? WHERE id = ?'),
    setFinal: db.prepare('UPDATE documents SET final_at = ?, final_by = ? WHERE id = ?'),
    setCiteAs: db.prepare('UPDATE documents SET cite_as = ? WHERE id = ?'),
    deleteDocument: db.prepare('DELETE FROM documents WHERE id = ?'),
    deleteUpdates: db.prepare('DELETE FROM document_updates WHERE doc_id = ?'),
    deleteSnapshot: db.prepare('DELETE FROM document_snapshots WHERE doc_id = ?'),
    getSnapshot: db.prepare('SELECT data, upto_seq AS uptoSeq FROM document_snapshots WHERE doc_id = ?'),
    getUpdatesAfter: db.prepare('SELECT data FROM document_updates WHERE doc_id = ? AND seq > ? ORDER BY seq'),
    insertUpdate: db.prepare('INSERT INTO document_updates (doc_id, data) VALUES (?, ?)'),
    touchDocument: db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?'),
    // First claim wins: a client id belongs to the person whose connection first used it.
    insertClient: db.prepare('INSERT OR IGNORE INTO document_clients (doc_id, client_id, user_id) VALUES (?, ?, ?)'),
    insertDeletion: db.prepare('INSERT INTO document_deletions (doc_id, client_id, clock, len, user_id) VALUES (?, ?, ?, ?, ?)'),
    clientsOf: db.prepare('SELECT client_id AS clientId, user_id AS userId FROM document_clients WHERE doc_id = ?'),
    deletionsPage: db.prepare(
      `SELECT seq, client_id AS clientId, clock, len AS length, user_id AS userId FROM document_deletions
        WHERE doc_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ${ATTRIBUTION_PAGE_ROWS}`,
    ),
  };

  const appendUpdate = db.transaction((id: string, update: Uint8Array, attribution: Attribution | undefined, now: number) => {
    // Only documents that exist take updates: a late frame for a deleted document is dropped.
    if (statements.touchDocument.run(now, id).changes === 0) return;
    statements.insertUpdate.run(id, update);
    for (const { clientId, userId } of attribution?.clients ?? []) statements.insertClient.run(id, clientId, userId);
    for (const d of attribution?.deletions ?? []) statements.insertDeletion.run(id, d.clientId, d.clock, d.length, d.userId);
  });

  const deleteDocument = db.transaction((id: string) => {
    statements.deleteUpdates.run(id);
    statements.deleteSnapshot.run(id);
    return statements.deleteDocument.run(id).changes > 0;
  });

  // One read transaction, so a compaction committing in between can't hide updates from us.
  const loadContent = db.transaction((id: string): StoredContent => {
    const snapshot = statements.getSnapshot.get(id) as { data: Buffer; uptoSeq: number } | undefined;
    const updates = statements.getUpdatesAfter.all(id, snapshot?.uptoSeq ?? 0) as { data: Buffer }[];
    return { snapshot: snapshot ? toBytes(snapshot.data) : null, updates: updates.map((row) => toBytes(row.data)) };
  });

  const getRecord = (id: string): DocumentRecord | undefined => {
    const row = statements.getDocument.get(id) as DocumentRow | undefined;
    return row && toDocument(row);
  };

  return {
    async createDocument({ id, title, groupId, kind = 'draft', citeAs = null }) {
      const now = Date.now();
      statements.insertDocument.run(id, title, groupId, now, now, kind, citeAs);
      return getRecord(id)!;
    },
    async getDocument(id) {
      return getRecord(id);
    },
    async listDocuments({ archived, groupIds }) {
      const rows = (archived ? statements.listArchived : statements.listActive).all(JSON.stringify(groupIds)) as DocumentRow[];
      return rows.map(toDocument);
    },
    async adoptUngroupedDocuments(groupId) {
      return statements.adoptUngrouped.run(groupId).changes;
    },
    async updateDocument(id: string, changes: DocumentChanges) {
      db.transaction(() => {
        if (changes.title !== undefined) statements.setTitle.run(changes.title, id);
        if (changes.archived !== undefined) statements.setArchived.run(changes.archived ? Date.now() : null, id);
        if (changes.final !== undefined) statements.setFinal.run(changes.final ? Date.now() : null, changes.final?.by ?? null, id);
        if (changes.citeAs !== undefined) statements.setCiteAs.run(changes.citeAs, id);
      })();
      return getRecord(id);
    },
    async deleteDocument(id) {
      return deleteDocument(id);
    },
    async loadContent(id): Promise<StoredContent> {
      return loadContent(id);
    },
    async appendUpdate(id, update, attribution) {
      appendUpdate(id, update, attribution, Date.now());
    },
    async loadAttribution(id, { afterDeletion, uptoDeletion }) {
      const deletions: Attribution['deletions'] = [];
      let after = afterDeletion;
      for (;;) {
        const page = statements.deletionsPage.all(id, after, uptoDeletion ?? Number.MAX_SAFE_INTEGER) as (Attribution['deletions'][number] & { seq: number })[];
        for (const row of page) deletions.push({ clientId: row.clientId, clock: row.clock, length: row.length, userId: row.userId });
        if (page.length < ATTRIBUTION_PAGE_ROWS) break;
        after = page[page.length - 1].seq;
        // Let the event loop serve editors between slices.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { clients: statements.clientsOf.all(id) as Attribution['clients'], deletions };
    },
  };
}

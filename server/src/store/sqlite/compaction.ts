import type Database from 'better-sqlite3';
import * as Y from 'yjs';

/**
 * Folds a document's snapshot and the updates after it into a new snapshot, in one transaction.
 * Runs in the compaction worker on its own connection, so the merge never blocks the event loop
 * that serves editing. Returns how many updates were folded in.
 */
export function compactDocument(db: Database.Database, docId: string): number {
  const snapshot = db
    .prepare('SELECT data, upto_seq AS uptoSeq FROM document_snapshots WHERE doc_id = ?')
    .get(docId) as { data: Buffer; uptoSeq: number } | undefined;
  const updates = db
    .prepare('SELECT seq, data FROM document_updates WHERE doc_id = ? AND seq > ? ORDER BY seq')
    .all(docId, snapshot?.uptoSeq ?? 0) as { seq: number; data: Buffer }[];
  if (updates.length === 0) return 0;

  const doc = new Y.Doc();
  doc.transact(() => {
    if (snapshot) Y.applyUpdate(doc, snapshot.data);
    for (const { data } of updates) Y.applyUpdate(doc, data);
  });
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const uptoSeq = updates[updates.length - 1].seq;

  const store = db.transaction(() => {
    // The document may have been deleted while we merged; don't resurrect its content.
    const exists = db.prepare('SELECT 1 FROM documents WHERE id = ?').get(docId);
    if (!exists) return 0;
    db.prepare(
      `INSERT INTO document_snapshots (doc_id, data, upto_seq) VALUES (?, ?, ?)
       ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq`,
    ).run(docId, merged, uptoSeq);
    db.prepare('DELETE FROM document_updates WHERE doc_id = ? AND seq <= ?').run(docId, uptoSeq);
    return updates.length;
  });
  return store.immediate();
}

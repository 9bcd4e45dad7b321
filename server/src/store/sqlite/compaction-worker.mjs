// Compaction worker: folds a document's snapshot and the updates after it into a new snapshot,
// and checkpoints the WAL, on its own SQLite connection, so neither blocks the event loop that
// serves editing (the main connection has automatic checkpoints turned off).
// Plain JavaScript on purpose: on Node 20 a worker thread cannot use the tsx loader.
//
// Protocol: the parent posts { jobId, docId }; the worker answers { jobId, folded } or { jobId, error }.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

const db = new Database(workerData.path);
// Same settings as open.ts (openSqlite).
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
db.pragma('busy_timeout = 5000');
// auto_vacuum is set when open.ts creates the database.

const getSnapshot = db.prepare('SELECT data, upto_seq AS uptoSeq FROM document_snapshots WHERE doc_id = ?');
const getUpdatesAfter = db.prepare('SELECT seq, data FROM document_updates WHERE doc_id = ? AND seq > ? ORDER BY seq');
const documentExists = db.prepare('SELECT 1 FROM documents WHERE id = ?');
const upsertSnapshot = db.prepare(
  `INSERT INTO document_snapshots (doc_id, data, upto_seq) VALUES (?, ?, ?)
   ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq`,
);
const deleteUpdatesUpTo = db.prepare('DELETE FROM document_updates WHERE doc_id = ? AND seq <= ?');

/** @returns {number} how many updates were folded into the snapshot */
function compactDocument(docId) {
  const snapshot = getSnapshot.get(docId);
  const updates = getUpdatesAfter.all(docId, snapshot?.uptoSeq ?? 0);
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
    if (!documentExists.get(docId)) return 0;
    upsertSnapshot.run(docId, merged, uptoSeq);
    deleteUpdatesUpTo.run(docId, uptoSeq);
    return updates.length;
  });
  const folded = store.immediate();
  // Give the pages of the deleted updates back to the file system.
  db.pragma('incremental_vacuum');
  return folded;
}

// PASSIVE never waits for writers; whatever it can't copy now it copies next time.
const CHECKPOINT_EVERY_MS = 1000;
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ log: `checkpoint failed: ${error?.message ?? error}` });
  }
}, CHECKPOINT_EVERY_MS);

parentPort.on('message', ({ jobId, docId }) => {
  try {
    parentPort.postMessage({ jobId, result: compactDocument(docId) });
  } catch (error) {
    parentPort.postMessage({ jobId, error: String(error?.stack ?? error) });
  }
});

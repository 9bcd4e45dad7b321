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
db.pragma(`journal_size_limit = ${workerData.journalSizeLimitBytes ?? 4 * 1024 * 1024}`);
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
  noteWrite();
  // Give the pages of the deleted updates back to the file system.
  db.pragma('incremental_vacuum');
  return folded;
}

// The WAL. The main connection has automatic checkpoints off; this thread runs them:
// - every second a PASSIVE checkpoint, which never waits for the main thread's writes;
// - when PASSIVE leaves more than `walRestartBytes` in the log (under continuous writes a commit
//   lands during nearly every checkpoint, so the log is never complete and never starts over), a
//   RESTART: it waits (briefly) for the writer, copies everything, and makes the next commit write
//   from the start of the file, which `journal_size_limit` (open.ts) then cuts back to that limit;
// - after `walIdleMs` without a commit, a TRUNCATE: the -wal file goes back to 0 bytes while the
//   store stays open, so a quiet installation does not keep a burst's WAL on a small volume.
// A checkpoint that has to wait for the writer waits at most CHECKPOINT_WAIT_MS (the main thread
// waits on it meanwhile, so this stays short); one that cannot finish is tried on the next tick.
const CHECKPOINT_EVERY_MS = 1000;
const CHECKPOINT_WAIT_MS = 200;
const BUSY_TIMEOUT_MS = 5000;
const walIdleMs = workerData.walIdleMs ?? 5000;
const walRestartBytes = workerData.walRestartBytes ?? 4 * 1024 * 1024;
const pageSize = db.pragma('page_size', { simple: true });
let lastDataVersion = db.pragma('data_version', { simple: true });
let lastWriteAt = Date.now();
/** Whether the WAL was truncated since the last commit seen. */
let truncated = false;
/** The size (in frames) of the log the last successful RESTART left, to not repeat it on an unchanged log. */
let restartedLog = -1;

function noteWrite() {
  lastWriteAt = Date.now();
  truncated = false;
}

/** @returns {{ busy: number, log: number, checkpointed: number }} */
function checkpoint(mode) {
  if (mode === 'PASSIVE') return db.pragma('wal_checkpoint(PASSIVE)')[0];
  db.pragma(`busy_timeout = ${CHECKPOINT_WAIT_MS}`);
  try {
    return db.pragma(`wal_checkpoint(${mode})`)[0];
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

function checkpointTick() {
  // data_version changes when another connection (the main thread) has committed.
  const dataVersion = db.pragma('data_version', { simple: true });
  if (dataVersion !== lastDataVersion) {
    lastDataVersion = dataVersion;
    noteWrite();
  }
  if (!truncated && Date.now() - lastWriteAt >= walIdleMs) {
    const result = checkpoint('TRUNCATE');
    if (result.busy === 0) truncated = true;
    return;
  }
  const result = checkpoint('PASSIVE');
  // Even a complete PASSIVE leaves the log growing when a commit lands while it runs: the next
  // commit then cannot start the log over. RESTART waits for the writer and makes it do so (once
  // per log: a log restarted and not written since needs nothing more).
  if (result.log * pageSize > walRestartBytes && result.log !== restartedLog) {
    const restart = checkpoint('RESTART');
    if (restart.busy === 0) restartedLog = restart.log;
  }
}

// A full or failing disk fails every tick: said once when that starts and once when it ends
// (like StoreOutageLog on the main thread), not every second.
/** @type {{ since: number, failures: number } | null} */
let checkpointsFailing = null;
setInterval(() => {
  try {
    checkpointTick();
    if (checkpointsFailing !== null) {
      const seconds = Math.round((Date.now() - checkpointsFailing.since) / 1000);
      parentPort.postMessage({ log: `checkpoints work again after ${seconds} s (${checkpointsFailing.failures} failed tries)` });
      checkpointsFailing = null;
    }
  } catch (error) {
    if (checkpointsFailing !== null) {
      checkpointsFailing.failures++;
      return;
    }
    checkpointsFailing = { since: Date.now(), failures: 1 };
    parentPort.postMessage({ log: `checkpoint failed: ${error?.message ?? error} (logged once until checkpoints work again)` });
  }
}, CHECKPOINT_EVERY_MS);

parentPort.on('message', ({ jobId, docId }) => {
  try {
    parentPort.postMessage({ jobId, result: compactDocument(docId) });
  } catch (error) {
    parentPort.postMessage({ jobId, error: String(error?.stack ?? error) });
  }
});

// Compaction worker for PostgreSQL: folds a document's snapshot and the updates after it into a
// new snapshot on its own connection, so the merge never blocks the event loop that serves editing.
// Plain JavaScript on purpose: on Node 20 a worker thread cannot use the tsx loader.
//
// Protocol: the parent posts { jobId, docId }; the worker answers { jobId, result } (how many
// updates were folded) or { jobId, error }, and { log } for trouble outside a job.
//
// Several processes append to a document at once. Seqs come from one sequence and are drawn
// when a row is inserted, not when it commits, so in general a seq can still be uncommitted
// while a larger one is committed; folding "everything up to the largest committed seq" would
// then skip it forever (loads read only seqs above the snapshot's upto_seq). appendUpdate rules
// that out for one document: it locks the document's row (its UPDATE of updated_at) before
// drawing its seq and holds the lock until it commits. Compaction reads its fold limit holding
// the same lock, so every seq drawn for the document so far is committed and every later append
// draws a larger one. It takes the lock again to store the result, so that of two processes
// compacting one document only one replaces the snapshot: the other finds it changed and gives up.
import pg from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

// deadlines: the main pool's connect and statement deadlines (STORE_TIMEOUT_MS), so a hung database fails the job.
const pool = new pg.Pool({ connectionString: workerData.connectionString, max: 1, ...(workerData.deadlines ?? {}) });
pool.on('error', (error) => parentPort.postMessage({ log: `idle compaction connection failed: ${error?.message ?? error}` }));

async function transaction(work) {
  const client = await pool.connect();
  let broken = false;
  // A connection that drops between queries reports it as an 'error' event; unheard, it would end the thread.
  const onConnectionError = () => {
    broken = true;
  };
  client.on('error', onConnectionError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A database that did not answer in time would not answer a ROLLBACK either: discard the connection.
    if (error?.message === 'Query read timeout') broken = true;
    else
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
    throw error;
  } finally {
    client.off('error', onConnectionError);
    client.release(broken);
  }
}

const lockDocument = (client, docId) => client.query('SELECT 1 FROM documents WHERE id = $1 FOR NO KEY UPDATE', [docId]);

/** @returns {Promise<number>} how many updates were folded into the snapshot */
async function compactDocument(docId) {
  // 1. Under the lock (held only for these two reads): where the snapshot ends, and the fold limit.
  const bounds = await transaction(async (client) => {
    if ((await lockDocument(client, docId)).rowCount === 0) return null;
    const snapshot = await client.query('SELECT data, upto_seq FROM document_snapshots WHERE doc_id = $1', [docId]);
    const last = await client.query('SELECT max(seq) AS seq FROM document_updates WHERE doc_id = $1', [docId]);
    return { snapshot: snapshot.rows[0] ?? null, uptoSeq: last.rows[0].seq === null ? null : Number(last.rows[0].seq) };
  });
  if (bounds === null || bounds.uptoSeq === null) return 0;
  const fromSeq = bounds.snapshot === null ? 0 : Number(bounds.snapshot.upto_seq);
  // 2. Without locks: everything in (fromSeq, uptoSeq] is committed and stays until a compaction deletes it.
  const { rows: updates } = await pool.query('SELECT data FROM document_updates WHERE doc_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq', [
    docId,
    fromSeq,
    bounds.uptoSeq,
  ]);
  if (updates.length === 0) return 0;

  const doc = new Y.Doc();
  doc.transact(() => {
    if (bounds.snapshot) Y.applyUpdate(doc, bounds.snapshot.data);
    for (const { data } of updates) Y.applyUpdate(doc, data);
  });
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();

  // 3. Store it, unless the document was deleted meanwhile (don't resurrect its content) or
  // another process compacted it first (our merge would then be of a log it already folded).
  return transaction(async (client) => {
    if ((await lockDocument(client, docId)).rowCount === 0) return 0;
    const current = await client.query('SELECT upto_seq FROM document_snapshots WHERE doc_id = $1', [docId]);
    if (Number(current.rows[0]?.upto_seq ?? 0) !== fromSeq) return 0;
    await client.query(
      `INSERT INTO document_snapshots (doc_id, data, upto_seq) VALUES ($1, $2, $3)
       ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq`,
      [docId, merged, bounds.uptoSeq],
    );
    await client.query('DELETE FROM document_updates WHERE doc_id = $1 AND seq <= $2', [docId, bounds.uptoSeq]);
    return updates.length;
  });
}

parentPort.on('message', ({ jobId, docId }) => {
  compactDocument(docId).then(
    (result) => parentPort.postMessage({ jobId, result }),
    (error) => parentPort.postMessage({ jobId, error: String(error?.stack ?? error) }),
  );
});

/**
 * Worker thread that runs compactions one at a time on its own SQLite connection.
 * Protocol: parent posts { jobId, docId }; worker answers { jobId, folded } or { jobId, error }.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { compactDocument } from './compaction';
import { openSqlite } from './open';

const db: Database.Database = openSqlite(workerData.path as string, { synchronous: workerData.synchronous });

parentPort!.on('message', (job: { jobId: number; docId: string }) => {
  try {
    parentPort!.postMessage({ jobId: job.jobId, folded: compactDocument(db, job.docId) });
  } catch (error) {
    parentPort!.postMessage({ jobId: job.jobId, error: String((error as Error)?.stack ?? error) });
  }
});

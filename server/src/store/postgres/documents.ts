import type pg from 'pg';
import type { Attribution, DocStore, DocumentChanges, DocumentRecord, StoredContent } from '../doc-store';
import { toBytes } from '../rows/bytes';
import { SELECT_DOCUMENTS, toDocument, type DocumentRow } from '../rows/documents';
import { READ_SNAPSHOT, transaction } from './pool';

/** Rows of deletions read per query. */
const ATTRIBUTION_PAGE_ROWS = 2000;

/** Document records and their Yjs content (snapshot + appended updates) in PostgreSQL. Compaction is the caller's. */
export function postgresDocuments(pool: pg.Pool): Omit<DocStore, 'compact' | 'close'> {
  const getRecord = async (db: pg.Pool | pg.PoolClient, id: string): Promise<DocumentRecord | undefined> => {
    const { rows } = await db.query<DocumentRow>(`${SELECT_DOCUMENTS} WHERE documents.id = $1`, [id]);
    return rows[0] && toDocument(rows[0]);
  };

  return {
    async createDocument({ id, title, groupId, kind = 'draft', citeAs = null }) {
      const now = Date.now();
      await pool.query(
        'INSERT INTO documents (id, title, group_id, created_at, updated_at, archived_at, kind, cite_as) VALUES ($1, $2, $3, $4, $4, NULL, $5, $6)',
        [id, title, groupId, now, kind, citeAs],
      );
      return (await getRecord(pool, id))!;
    },
    async getDocument(id) {
      return getRecord(pool, id);
    },
    async listDocuments({ archived, groupIds }) {
      const { rows } = await pool.query<DocumentRow>(
        archived
          ? `${SELECT_DOCUMENTS} WHERE documents.archived_at IS NOT NULL AND documents.group_id = ANY($1::text[]) ORDER BY documents.archived_at DESC`
          : `${SELECT_DOCUMENTS} WHERE documents.archived_at IS NULL AND documents.group_id = ANY($1::text[]) ORDER BY documents.updated_at DESC`,
        [groupIds],
      );
      return rows.map(toDocument);
    },
    async adoptUngroupedDocuments(groupId) {
      return (await pool.query('UPDATE documents SET group_id = $1 WHERE group_id IS NULL', [groupId])).rowCount ?? 0;
    },
    async updateDocument(id: string, changes: DocumentChanges) {
      return transaction(pool, async (client) => {
        if (changes.title !== undefined) await client.query('UPDATE documents SET title = $1 WHERE id = $2', [changes.title, id]);
        if (changes.archived !== undefined) {
          await client.query('UPDATE documents SET archived_at = $1 WHERE id = $2', [changes.archived ? Date.now() : null, id]);
        }
        if (changes.final !== undefined) {
          await client.query('UPDATE documents SET final_at = $1, final_by = $2 WHERE id = $3', [
            changes.final ? Date.now() : null,
            changes.final?.by ?? null,
            id,
          ]);
        }
        if (changes.citeAs !== undefined) await client.query('UPDATE documents SET cite_as = $1 WHERE id = $2', [changes.citeAs, id]);
        return getRecord(client, id);
      });
    },
    async deleteDocument(id) {
      // Its updates, snapshot, threads, attribution and versions go with it (ON DELETE CASCADE).
      return ((await pool.query('DELETE FROM documents WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
    async loadContent(id): Promise<StoredContent> {
      // One snapshot of the database, so a compaction committing in between can't hide updates from us.
      return transaction(
        pool,
        async (client) => {
          const snapshot = await client.query<{ data: Buffer; upto_seq: number }>('SELECT data, upto_seq FROM document_snapshots WHERE doc_id = $1', [id]);
          const updates = await client.query<{ data: Buffer }>('SELECT data FROM document_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq', [
            id,
            snapshot.rows[0]?.upto_seq ?? 0,
          ]);
          return { snapshot: snapshot.rows[0] ? toBytes(snapshot.rows[0].data) : null, updates: updates.rows.map((row) => toBytes(row.data)) };
        },
        READ_SNAPSHOT,
      );
    },
    async appendUpdate(id, update, attribution) {
      await transaction(pool, async (client) => {
        // Only documents that exist take updates: a late frame for a deleted document is dropped.
        // This also locks the document's row until commit, before the update's seq is drawn;
        // compaction relies on that (see compaction-worker.mjs).
        const touched = await client.query('UPDATE documents SET updated_at = $1 WHERE id = $2', [Date.now(), id]);
        if (touched.rowCount === 0) return;
        await client.query('INSERT INTO document_updates (doc_id, data) VALUES ($1, $2)', [id, update]);
        const clients = attribution?.clients ?? [];
        if (clients.length > 0) {
          // First claim wins: a client id belongs to the person whose connection first used it.
          await client.query(
            `INSERT INTO document_clients (doc_id, client_id, user_id)
             SELECT $1, * FROM unnest($2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
            [id, clients.map((c) => c.clientId), clients.map((c) => c.userId)],
          );
        }
        const deletions = attribution?.deletions ?? [];
        if (deletions.length > 0) {
          // WITH ORDINALITY keeps the deletions' order in their seq.
          await client.query(
            `INSERT INTO document_deletions (doc_id, client_id, clock, len, user_id)
             SELECT $1, client_id, clock, len, user_id
               FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[]) WITH ORDINALITY AS d (client_id, clock, len, user_id, n)
              ORDER BY n`,
            [id, deletions.map((d) => d.clientId), deletions.map((d) => d.clock), deletions.map((d) => d.length), deletions.map((d) => d.userId)],
          );
        }
      });
    },
    async loadAttribution(id, { afterDeletion, uptoDeletion }) {
      const deletions: Attribution['deletions'] = [];
      let after = afterDeletion;
      for (;;) {
        const page = await pool.query<{ seq: number; client_id: number; clock: number; len: number; user_id: string }>(
          `SELECT seq, client_id, clock, len, user_id FROM document_deletions
            WHERE doc_id = $1 AND seq > $2 AND ($3::bigint IS NULL OR seq <= $3) ORDER BY seq LIMIT ${ATTRIBUTION_PAGE_ROWS}`,
          [id, after, uptoDeletion],
        );
        for (const row of page.rows) deletions.push({ clientId: row.client_id, clock: row.clock, length: row.len, userId: row.user_id });
        if (page.rows.length < ATTRIBUTION_PAGE_ROWS) break;
        after = page.rows[page.rows.length - 1].seq;
      }
      const clients = await pool.query<{ client_id: number; user_id: string }>('SELECT client_id, user_id FROM document_clients WHERE doc_id = $1', [id]);
      return { clients: clients.rows.map((row) => ({ clientId: row.client_id, userId: row.user_id })), deletions };
    },
  };
}

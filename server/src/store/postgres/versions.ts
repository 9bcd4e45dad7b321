import type pg from 'pg';
import * as Y from 'yjs';
import { toBytes } from '../rows/bytes';
import { contributorIds, toVersion, VERSION_COLUMNS, type VersionRow } from '../rows/versions';
import type { NewVersion, VersionRecord, VersionStore } from '../version-store';
import { transaction } from './pool';

/** Versions in PostgreSQL; contributors are decided when a version is stored, from the attribution tables. */
export function postgresVersions(pool: pg.Pool): VersionStore {
  const toRecords = async (db: pg.Pool | pg.PoolClient, rows: VersionRow[]): Promise<VersionRecord[]> => {
    const ids = [...new Set(rows.flatMap(contributorIds))];
    const people = await db.query<{ id: string; name: string }>('SELECT id, name FROM users WHERE id = ANY($1::text[])', [ids]);
    const names = new Map(people.rows.map((p) => [p.id, p.name]));
    return rows.map((row) => toVersion(row, names));
  };

  const create = (version: NewVersion): Promise<void> =>
    transaction(pool, async (client) => {
      // Waits for appends in progress on the document and holds back new ones (appendUpdate
      // locks the same row before drawing seqs), so the deletion mark read below covers every
      // deletion with a smaller seq, and two versions taken at once see each other in order.
      await client.query('SELECT 1 FROM documents WHERE id = $1 FOR NO KEY UPDATE', [version.documentId]);
      const previous = await client.query<{ state_vector: Buffer; deletions_upto: number }>(
        "SELECT state_vector, deletions_upto FROM document_versions WHERE doc_id = $1 AND (kind = 'named' OR $2 = 'checkpoint') ORDER BY created_at DESC, seq DESC LIMIT 1",
        [version.documentId, version.kind],
      );
      const before = previous.rows[0] ? Y.decodeStateVector(toBytes(previous.rows[0].state_vector)) : new Map<number, number>();
      const stateVector = Y.encodeStateVectorFromUpdate(version.state);
      const advanced = [...Y.decodeStateVector(stateVector)].filter(([client, clock]) => clock > (before.get(client) ?? 0)).map(([client]) => client);
      const inserters = await client.query<{ user_id: string }>(
        'SELECT DISTINCT user_id FROM document_clients WHERE doc_id = $1 AND client_id = ANY($2::bigint[])',
        [version.documentId, advanced],
      );
      const deleters = await client.query<{ user_id: string }>('SELECT DISTINCT user_id FROM document_deletions WHERE doc_id = $1 AND seq > $2', [
        version.documentId,
        previous.rows[0]?.deletions_upto ?? 0,
      ]);
      const contributors = [...new Set([...inserters.rows, ...deleters.rows].map((row) => row.user_id))];
      const lastDeletion = await client.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM document_deletions WHERE doc_id = $1', [
        version.documentId,
      ]);
      await client.query(
        `INSERT INTO document_versions (id, doc_id, kind, name, note, meeting_date, title, state, state_vector, deletions_upto,
           contributors, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          version.id,
          version.documentId,
          version.kind,
          version.name,
          version.note,
          version.meetingDate,
          version.title,
          version.state,
          stateVector,
          lastDeletion.rows[0].seq,
          contributors,
          version.createdById,
          Date.now(),
        ],
      );
    });

  return {
    async createVersion(version) {
      await create(version);
      const { rows } = await pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} WHERE document_versions.doc_id = $1 AND document_versions.id = $2`, [
        version.documentId,
        version.id,
      ]);
      return (await toRecords(pool, rows))[0];
    },
    async listVersions(documentId) {
      const { rows } = await pool.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} WHERE document_versions.doc_id = $1 ORDER BY document_versions.created_at DESC, document_versions.seq DESC`,
        [documentId],
      );
      return toRecords(pool, rows);
    },
    async getVersion(documentId, versionId) {
      const { rows } = await pool.query<VersionRow & { state: Buffer }>(
        `SELECT document_versions.state, ${VERSION_COLUMNS} WHERE document_versions.doc_id = $1 AND document_versions.id = $2`,
        [documentId, versionId],
      );
      if (!rows[0]) return undefined;
      return { record: (await toRecords(pool, rows))[0], state: toBytes(rows[0].state) };
    },
  };
}

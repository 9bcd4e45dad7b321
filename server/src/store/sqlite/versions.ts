import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { PersonRecord } from '../comment-store';
import { toBytes } from '../rows/bytes';
import { toVersion, VERSION_COLUMNS, type VersionRow } from '../rows/versions';
import type { NewVersion, VersionRecord, VersionStore } from '../version-store';

/** Versions in SQLite; contributors are decided when a version is stored, from the attribution tables. */
export function sqliteVersions(db: Database.Database): VersionStore {
  const q = {
    previous: db.prepare(
      "SELECT state_vector, deletions_upto FROM document_versions WHERE doc_id = ? AND (kind = 'named' OR ? = 'checkpoint') ORDER BY created_at DESC, rowid DESC LIMIT 1",
    ),
    usersOfClients: db.prepare(
      'SELECT DISTINCT user_id FROM document_clients WHERE doc_id = ? AND client_id IN (SELECT value FROM json_each(?))',
    ),
    deletersSince: db.prepare('SELECT DISTINCT user_id FROM document_deletions WHERE doc_id = ? AND seq > ?'),
    lastDeletion: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM document_deletions WHERE doc_id = ?'),
    insert: db.prepare(
      `INSERT INTO document_versions (id, doc_id, kind, name, note, meeting_date, title, state, state_vector, deletions_upto,
         contributors, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    list: db.prepare(`SELECT ${VERSION_COLUMNS} WHERE document_versions.doc_id = ? ORDER BY document_versions.created_at DESC, document_versions.rowid DESC`),
    get: db.prepare(`SELECT ${VERSION_COLUMNS} WHERE document_versions.doc_id = ? AND document_versions.id = ?`),
    state: db.prepare('SELECT state FROM document_versions WHERE id = ?'),
    names: db.prepare('SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(?))'),
  };

  const toRecord = (row: VersionRow): VersionRecord => {
    // The row's contributors are the JSON text json_each reads.
    const names = new Map((q.names.all(row.contributors) as PersonRecord[]).map((p) => [p.id, p.name]));
    return toVersion(row, names);
  };

  const create = db.transaction((version: NewVersion, now: number) => {
    const previous = q.previous.get(version.documentId, version.kind) as { state_vector: Buffer; deletions_upto: number } | undefined;
    const before = previous ? Y.decodeStateVector(previous.state_vector) : new Map<number, number>();
    const stateVector = Y.encodeStateVectorFromUpdate(version.state);
    const advanced = [...Y.decodeStateVector(stateVector)].filter(([client, clock]) => clock > (before.get(client) ?? 0)).map(([client]) => client);
    const inserters = (q.usersOfClients.all(version.documentId, JSON.stringify(advanced)) as { user_id: string }[]).map((r) => r.user_id);
    const deleters = (q.deletersSince.all(version.documentId, previous?.deletions_upto ?? 0) as { user_id: string }[]).map((r) => r.user_id);
    const contributors = [...new Set([...inserters, ...deleters])];
    const deletionsUpto = (q.lastDeletion.get(version.documentId) as { seq: number }).seq;
    q.insert.run(
      version.id,
      version.documentId,
      version.kind,
      version.name,
      version.note,
      version.meetingDate,
      version.title,
      version.state,
      stateVector,
      deletionsUpto,
      JSON.stringify(contributors),
      version.createdById,
      now,
    );
  });

  return {
    async createVersion(version) {
      create(version, Date.now());
      return toRecord(q.get.get(version.documentId, version.id) as VersionRow);
    },
    async listVersions(documentId) {
      return (q.list.all(documentId) as VersionRow[]).map(toRecord);
    },
    async getVersion(documentId, versionId) {
      const row = q.get.get(documentId, versionId) as VersionRow | undefined;
      if (!row) return undefined;
      const { state } = q.state.get(versionId) as { state: Buffer };
      return { record: toRecord(row), state: toBytes(state) };
    },
  };
}

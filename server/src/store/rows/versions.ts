import type { VersionRecord } from '../version-store';

/** A row of `SELECT ${VERSION_COLUMNS}`. */
export interface VersionRow {
  id: string;
  doc_id: string;
  kind: 'named' | 'checkpoint';
  name: string;
  note: string;
  meeting_date: string | null;
  title: string;
  deletions_upto: number;
  /** User ids: JSON text in SQLite, a TEXT[] in PostgreSQL. */
  contributors: string | string[];
  created_by: string | null;
  created_by_name: string | null;
  created_at: number;
}

/** A version's columns without its content (state, state vector), with the name of who made it. */
export const VERSION_COLUMNS = `document_versions.id, document_versions.doc_id, document_versions.kind, document_versions.name,
  document_versions.note, document_versions.meeting_date, document_versions.title, document_versions.deletions_upto, document_versions.contributors,
  document_versions.created_by, users.name AS created_by_name, document_versions.created_at
  FROM document_versions LEFT JOIN users ON users.id = document_versions.created_by`;

export const contributorIds = (row: VersionRow): string[] =>
  typeof row.contributors === 'string' ? (JSON.parse(row.contributors) as string[]) : row.contributors;

/** `names` maps the contributors' user ids to their names (a contributor missing from it gets ''). */
export function toVersion(row: VersionRow, names: ReadonlyMap<string, string>): VersionRecord {
  return {
    id: row.id,
    documentId: row.doc_id,
    kind: row.kind,
    name: row.name,
    note: row.note,
    meetingDate: row.meeting_date,
    title: row.title,
    createdBy: row.created_by === null ? null : { id: row.created_by, name: row.created_by_name ?? '' },
    createdAt: new Date(row.created_at),
    contributors: contributorIds(row).map((id) => ({ id, name: names.get(id) ?? '' })),
    deletionMark: row.deletions_upto,
  };
}

import type { DocumentKind } from '../../../../shared/api/index';
import type { DocumentRecord } from '../doc-store';

/** A row of SELECT_DOCUMENTS. */
export interface DocumentRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
  group_id: string | null;
  final_at: number | null;
  final_by: string | null;
  final_by_name: string | null;
  kind: DocumentKind;
  cite_as: string | null;
}

/** Documents with the name of whoever marked them final. */
export const SELECT_DOCUMENTS = 'SELECT documents.*, users.name AS final_by_name FROM documents LEFT JOIN users ON users.id = documents.final_by';

export function toDocument(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    title: row.title,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    archivedAt: row.archived_at === null ? null : new Date(row.archived_at),
    groupId: row.group_id,
    final: row.final_at === null || row.final_by === null ? null : { at: new Date(row.final_at), by: { id: row.final_by, name: row.final_by_name ?? '' } },
    kind: row.kind,
    citeAs: row.cite_as,
  };
}

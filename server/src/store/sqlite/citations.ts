import type Database from 'better-sqlite3';
import type { CitationStore } from '../doc-store';

/** The citation index in SQLite. */
export function sqliteCitations(db: Database.Database): CitationStore {
  const statements = {
    clear: db.prepare('DELETE FROM document_citations WHERE doc_id = ?'),
    insert: db.prepare('INSERT OR IGNORE INTO document_citations (doc_id, source_id, pid) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?)'),
    list: db.prepare('SELECT doc_id AS documentId, pid FROM document_citations WHERE source_id = ? ORDER BY doc_id, pid'),
  };
  const replace = db.transaction((documentId: string, citations: readonly { sourceId: string; pid: string }[]) => {
    statements.clear.run(documentId);
    for (const { sourceId, pid } of citations) statements.insert.run(documentId, sourceId, pid, documentId);
  });
  return {
    async replaceCitations(documentId, citations) {
      replace(documentId, citations);
    },
    async listCitations(sourceId) {
      return statements.list.all(sourceId) as { documentId: string; pid: string }[];
    },
  };
}

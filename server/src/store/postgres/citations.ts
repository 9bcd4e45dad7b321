import type pg from 'pg';
import type { CitationStore } from '../doc-store';
import { transaction } from './pool';

/** The citation index in PostgreSQL. */
export function postgresCitations(pool: pg.Pool): CitationStore {
  return {
    replaceCitations(documentId, citations) {
      return transaction(pool, async (client) => {
        await client.query('DELETE FROM document_citations WHERE doc_id = $1', [documentId]);
        if (citations.length === 0) return;
        // Only for a document that still exists (a late index of a deleted draft adds nothing).
        await client.query(
          `INSERT INTO document_citations (doc_id, source_id, pid)
           SELECT $1, source_id, pid FROM unnest($2::text[], $3::text[]) AS c(source_id, pid)
            WHERE EXISTS (SELECT 1 FROM documents WHERE id = $1)
           ON CONFLICT DO NOTHING`,
          [documentId, citations.map((c) => c.sourceId), citations.map((c) => c.pid)],
        );
      });
    },
    async listCitations(sourceId) {
      const { rows } = await pool.query<{ documentId: string; pid: string }>(
        'SELECT doc_id AS "documentId", pid FROM document_citations WHERE source_id = $1 ORDER BY doc_id, pid',
        [sourceId],
      );
      return rows;
    },
  };
}

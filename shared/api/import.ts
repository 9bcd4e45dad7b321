import { z } from 'zod';
import { DocumentTitle } from './documents';
import { GroupId } from './groups';

/**
 * Creating a draft from a file. POST /api/documents/import (edit rights in the group) with
 * `{ groupId, format, content, title? }` → 201 DocumentSummary of the new draft.
 *
 * - `format: 'markdown'`: `content` is the Markdown text (CommonMark, GFM tables and
 *   strikethrough, footnotes `[^n]`). Without `title`, a leading `# ` heading is the title.
 * - `format: 'docx'`: `content` is the Word file, base64-encoded. Without `title`, the text in
 *   Word's Title style (else a leading Heading 1) is the title.
 *
 * Failures create nothing: 400 `invalid_request` (a field is missing or wrong: `fields` says
 * which and why), 400 `invalid_content` (the content is not readable as the format: binary
 * data, say), 413 `too_large` (over `IMPORT_MAX_CHARS`: a 10 MiB file; or over one of the
 * `ImportLimits` below, which the message names), 403 `no_access` / `forbidden` (not a member
 * of the group / a role that may not edit).
 *
 * GET /api/documents/:id/export.md (read: observers too) answers the document as
 * `text/markdown` (title as `# Title`, footnotes as `[^n]` with their texts at the end);
 * GET /api/documents/:id/export.docx as a Word file (Title and Heading 1–3 styles, Word lists,
 * tables with repeated header rows, footnotes, hyperlinks).
 */

export const IMPORT_FORMATS = ['markdown', 'docx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Largest file that can be imported: 10 MiB. */
export const IMPORT_MAX_FILE_BYTES = 10 * 2 ** 20;
/** Longest content accepted, in characters: a file of IMPORT_MAX_FILE_BYTES in base64 (4 characters per 3 bytes). */
export const IMPORT_MAX_CHARS = Math.ceil(IMPORT_MAX_FILE_BYTES / 3) * 4;
/** Largest request body of an upload route (the content plus the other fields, as JSON). */
export const UPLOAD_MAX_BODY_BYTES = IMPORT_MAX_CHARS + 2 ** 20;

export const ImportDocumentRequest = z
  .object({
    groupId: GroupId,
    format: z.enum(IMPORT_FORMATS, { error: `format must be one of: ${IMPORT_FORMATS.join(', ')}` }),
    content: z.string({ error: 'content must be a string' }).min(1, 'content must not be empty'),
    title: DocumentTitle.optional(),
  })
  .strict();
export type ImportDocumentRequest = z.infer<typeof ImportDocumentRequest>;

/**
 * What a file may expand to, checked by every import (drafts and source papers, every format) and
 * by the Markdown and Word exports: a file over any of them is refused with 413 `too_large`, whose
 * message names the limit, and nothing is stored. The server's values come from its
 * configuration (environment variables in brackets); these are the defaults.
 */
export interface ImportLimits {
  /**
   * Bytes a Word file may unzip to, all its parts together: the sizes its ZIP directory declares
   * are checked before anything is inflated, and the bytes actually inflated while unzipping
   * (declared sizes can lie) [IMPORT_MAX_UNZIPPED_BYTES].
   */
  maxUnzippedBytes: number;
  /** Files (entries) in a Word file's ZIP archive [IMPORT_MAX_ZIP_ENTRIES]. */
  maxZipEntries: number;
  /** Characters of text in the document [DOCUMENT_MAX_CHARACTERS]. */
  maxCharacters: number;
  /** Nodes of the document: blocks, list items, table rows and cells, runs of text… [DOCUMENT_MAX_NODES]. */
  maxNodes: number;
  /** Table cells in the document, all tables together [DOCUMENT_MAX_TABLE_CELLS]. */
  maxTableCells: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  // A Word file of text alone unzips to about 3.5 times its size; its parts are parsed whole, so
  // this also bounds the time and memory of reading one (≈ 20 s for 32 MiB of XML).
  maxUnzippedBytes: 32 * 2 ** 20,
  maxZipEntries: 1000,
  // More than any 10 MiB text file has (one character per byte at most).
  maxCharacters: 12_000_000,
  maxNodes: 1_000_000,
  maxTableCells: 100_000,
};

/**
 * Deepest nesting of a document's nodes that imports and exports keep (the document is depth 0,
 * its blocks depth 1, …): anything nested deeper is flattened into paragraphs at this depth, so
 * no reader or writer can run out of stack on deeply nested input. Fixed, not configurable.
 */
export const DOCUMENT_MAX_DEPTH = 64;

/** Deepest XML element nesting read from a Word file (413 beyond: no real document comes near it). */
export const DOCX_MAX_XML_DEPTH = 256;


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
 * data, say), 413 `too_large` (over `IMPORT_MAX_CHARS`: a 10 MiB file), 403
 * `no_access` / `forbidden` (not a member of the group / a role that may not edit).
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

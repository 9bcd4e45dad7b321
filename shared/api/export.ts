import { z } from 'zod';
import { CompareQuery, VersionId } from './versions';

/**
 * Exporting a finished paper. GET /api/documents/:id/export.pdf (read: observers too) answers
 * `application/pdf` as an attachment named after the title. Failures are ApiErrorBody JSON:
 * 404 `not_found` (document or version), 413 `too_large` (the document is over the export size
 * limit), 429 `too_many_requests` (this account already has 3 exports waiting or running; with
 * Retry-After), 503 `export_busy` (too many exports waiting), 503 `export_timeout` (typesetting took
 * too long and was stopped), 500 `export_failed` (the typesetter refused the document).
 */

/** Paper sizes a PDF can be typeset on. */
export const PAPER_SIZES = ['a4', 'letter'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

/** `true` / `false` in a query string. */
const QueryFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

/**
 * GET /api/documents/:id/export.pdf?paper=a4|letter&toc=true|false&numbered=true|false&watermark=true|false&comments=true|false&participants=true|false&version=<versionId>
 *
 * - `paper`: A4 (default) or US Letter.
 * - `toc`: a table of contents with page numbers after the title block (default true; left out
 *   when the document has no headings).
 * - `numbered`: headings numbered 1., 1.1, 1.1.1; default: the document's own setting
 *   (`meta.numberedHeadings`, the one the editor shows).
 * - `watermark`: "DRAFT" across every page; default: on until a co-chair marks the document
 *   final (a version's export counts as a draft).
 * - `comments`: an annex with every comment thread: the text it is on, the discussion and the
 *   resolution (default false).
 * - `participants`: an annex listing the working group's members (and former members who
 *   contributed) with their roles and contributions (default false).
 * - `version`: typeset that version's content, title and name instead of the current content.
 */
export const ExportPdfQuery = z.object({
  paper: z.enum(PAPER_SIZES, { error: 'paper must be a4 or letter' }).default('a4'),
  toc: QueryFlag.default(true),
  numbered: QueryFlag.optional(),
  watermark: QueryFlag.optional(),
  comments: QueryFlag.default(false),
  participants: QueryFlag.default(false),
  version: VersionId.optional(),
});
/** What a client may put in the query (all optional). */
export type ExportPdfQueryInput = z.input<typeof ExportPdfQuery>;
export type ExportPdfQuery = z.output<typeof ExportPdfQuery>;

/**
 * GET /api/documents/:id/compare.pdf?from=<versionId>&to=<versionId|current>&paper=a4|letter
 * (read: observers too): a comparison (see CompareQuery) as a redline PDF: who changed what, then
 * the text with insertions underlined and deletions struck through, each marked with its author.
 * Failures as for export.pdf.
 */
export const ComparePdfQuery = CompareQuery.extend({
  paper: z.enum(PAPER_SIZES, { error: 'paper must be a4 or letter' }).default('a4'),
});
export type ComparePdfQueryInput = z.input<typeof ComparePdfQuery>;
export type ComparePdfQuery = z.output<typeof ComparePdfQuery>;

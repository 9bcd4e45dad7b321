import { z } from 'zod';
import { DocumentSummary, DocumentTitle } from './documents';
import { GroupId } from './groups';

/**
 * Source papers: documents of kind 'source' in a working group (the Options Paper, the Roadmap…).
 * A source has the same content schema as a draft, but nobody edits it: the server drops every
 * edit sent over a socket, and changes it only on a re-import or a label correction. Every
 * paragraph and heading carries `pid` (stable id) and `label` (the paper's own number, e.g. "V.4",
 * "93(a)", or a derived one, see server/src/sources/numbering.ts). Members annotate a source with
 * the ordinary comment threads, which on a source may take a stance.
 *
 * Routes (errors as the rest of the API: 400 `invalid_request` with `fields`, 400
 * `invalid_content` for a file that can't be read as its format, 403 `no_access`/`forbidden`,
 * 404 `not_found`, 413 `too_large`):
 * - POST /api/sources/import (edit rights in the group) ImportSourceRequest → 201 SourceSummary
 * - POST /api/sources/:id/reimport (resolve: co-chairs) ReimportSourceRequest → 200 ReimportResponse.
 *   The new content replaces the old; paragraphs that match old ones (same label first, then same
 *   or similar text) keep their pid, so citations and annotations keep resolving.
 * - GET /api/sources/:id/paragraphs (read) → ListParagraphsResponse
 * - PATCH /api/sources/:id/paragraphs/:pid (resolve: co-chairs) UpdateParagraphRequest → 200
 *   SourceParagraph; open viewers see the new label live.
 * - GET /api/sources/:id/annotations.jsonld (read) → a W3C Web Annotation AnnotationCollection.
 * - GET /api/sources/:id/paragraphs/:pid and GET /api/sources/:id/citations: see below.
 * - Threads: POST /api/documents/:id/threads takes an optional `stance` on a source (without
 *   one, the thread is a plain comment); a stance on a draft is refused.
 */

export const STANCES = ['support', 'concern', 'question', 'proposal'] as const;
export const Stance = z.enum(STANCES, { error: `stance must be one of: ${STANCES.join(', ')}` });
export type Stance = z.infer<typeof Stance>;

export const STANCE_LABELS: Record<Stance, string> = {
  support: 'Support',
  concern: 'Concern',
  question: 'Question',
  proposal: 'Proposal for action',
};

export const SOURCE_IMPORT_FORMATS = ['docx', 'markdown', 'html', 'text'] as const;
export type SourceImportFormat = (typeof SOURCE_IMPORT_FORMATS)[number];

export const CITE_AS_MAX_LENGTH = 60;
/** The short name citations use: "Options Paper" in "Options Paper V.4". */
export const CiteAs = z
  .string()
  .trim()
  .min(1, 'citeAs must not be empty')
  .max(CITE_AS_MAX_LENGTH, `citeAs must be at most ${CITE_AS_MAX_LENGTH} characters`);

export const PARAGRAPH_LABEL_MAX_LENGTH = 40;
export const ParagraphLabel = z
  .string()
  .trim()
  .min(1, 'label must not be empty')
  .max(PARAGRAPH_LABEL_MAX_LENGTH, `label must be at most ${PARAGRAPH_LABEL_MAX_LENGTH} characters`)
  .regex(/^[^\p{Cc}]*$/u, 'label must not contain control characters');

/** A paragraph id: short, URL-safe (it appears in links to a paragraph). */
export const ParagraphId = z.string().regex(/^[A-Za-z0-9._~()-]{1,64}$/, 'not a paragraph id');

const fileFields = {
  format: z.enum(SOURCE_IMPORT_FORMATS, { error: `format must be one of: ${SOURCE_IMPORT_FORMATS.join(', ')}` }),
  /** Text for markdown, html and text; the file in base64 for docx. At most IMPORT_MAX_CHARS (else 413). */
  content: z.string({ error: 'content must be a string' }).min(1, 'content must not be empty'),
  /** Without it: the file's own title (Markdown `# `, Word Title style, HTML <title>), else its first heading. */
  title: DocumentTitle.optional(),
  /** Without it: the title, cut to CITE_AS_MAX_LENGTH. */
  citeAs: CiteAs.optional(),
};

export const ImportSourceRequest = z.object({ groupId: GroupId, ...fileFields }).strict();
export type ImportSourceRequest = z.input<typeof ImportSourceRequest>;

export const ReimportSourceRequest = z.object(fileFields).strict();
export type ReimportSourceRequest = z.input<typeof ReimportSourceRequest>;

export const SourceSummary = DocumentSummary.extend({
  /** Paragraphs and headings (each with a pid and a label). */
  paragraphCount: z.number().int(),
});
export type SourceSummary = z.infer<typeof SourceSummary>;

export const ReimportResponse = z.object({
  source: SourceSummary,
  /** Paragraphs that kept their pid, new ones, and old pids that no longer exist. */
  paragraphs: z.object({ kept: z.number().int(), added: z.number().int(), removed: z.number().int() }),
});
export type ReimportResponse = z.infer<typeof ReimportResponse>;

export const SourceParagraph = z.object({
  pid: ParagraphId,
  label: z.string(),
  kind: z.enum(['heading', 'paragraph']),
  /** Heading level (1–3); null for a paragraph. */
  level: z.number().int().nullable(),
  /** Plain text (hard breaks as "\n"); the text W3C selectors count offsets in. */
  text: z.string(),
});
export type SourceParagraph = z.infer<typeof SourceParagraph>;

export const ListParagraphsResponse = z.object({
  documentId: z.string(),
  citeAs: z.string(),
  paragraphs: z.array(SourceParagraph),
});
export type ListParagraphsResponse = z.infer<typeof ListParagraphsResponse>;

export const UpdateParagraphRequest = z.object({ label: ParagraphLabel }).strict();
export type UpdateParagraphRequest = z.input<typeof UpdateParagraphRequest>;

/**
 * GET /api/sources/:id/paragraphs/:pid (read) → CitedParagraph: one paragraph, for a citation's
 * hover card; 404 when the source no longer has it.
 */
export const CitedParagraph = SourceParagraph.extend({
  sourceId: z.string(),
  sourceTitle: z.string(),
  citeAs: z.string(),
});
export type CitedParagraph = z.infer<typeof CitedParagraph>;

/**
 * GET /api/sources/:id/citations (read) → ListCitationsResponse: the drafts of the group that cite
 * the source, with the paragraphs each cites (in the source's order). Kept from the drafts'
 * content a moment (about 2 s) after each change is stored.
 */
export const ListCitationsResponse = z.object({
  citations: z.array(
    z.object({
      documentId: z.string(),
      title: z.string(),
      paragraphs: z.array(z.object({ pid: z.string(), label: z.string() })),
    }),
  ),
});
export type ListCitationsResponse = z.infer<typeof ListCitationsResponse>;

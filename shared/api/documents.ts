import { z } from 'zod';
import { DOCUMENT_ID_PATTERN } from '../protocol/ids';
import { GroupId } from './groups';
import { Role } from './roles';

export const TITLE_MAX_LENGTH = 200;

export const DocumentId = z.string().regex(DOCUMENT_ID_PATTERN, 'not a document id');

export const DocumentTitle = z
  .string()
  .trim()
  .min(1, 'title must not be empty')
  .max(TITLE_MAX_LENGTH, `title must be at most ${TITLE_MAX_LENGTH} characters`);

/** A draft is written by the group; a source paper is imported, read-only, and annotated (shared/api/sources.ts). */
export const DOCUMENT_KINDS = ['draft', 'source'] as const;
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** Someone who has the document open right now (from the room's awareness). */
export const ActiveEditor = z.object({ name: z.string(), color: z.string() });
export type ActiveEditor = z.infer<typeof ActiveEditor>;

export const DocumentSummary = z.object({
  id: DocumentId,
  title: z.string(),
  /** ISO 8601 timestamps. */
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
  activeEditors: z.array(ActiveEditor),
  /** The working group the document belongs to, and the signed-in person's role there. */
  groupId: GroupId,
  groupName: z.string(),
  role: Role,
  /** Set when a co-chair marked the document final (ISO 8601 time, their name); null for a draft. */
  final: z.object({ at: z.string(), by: z.string() }).nullable(),
  kind: DocumentKind,
  /** A source's short name for citations ("Options Paper"); null for a draft. */
  citeAs: z.string().nullable(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

/** GET /api/documents?archived=true|false (default false)&groupId=… → the documents of the person's groups. */
export const ListDocumentsQuery = z.object({
  archived: z.enum(['true', 'false']).optional(),
  groupId: GroupId.optional(),
});
export const ListDocumentsResponse = z.object({ documents: z.array(DocumentSummary) });
export type ListDocumentsResponse = z.infer<typeof ListDocumentsResponse>;

/** POST /api/documents (edit rights in the group) → 201 DocumentSummary */
export const CreateDocumentRequest = z.object({ groupId: GroupId, title: DocumentTitle.optional() }).strict();
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

/**
 * PATCH /api/documents/:id → 200 DocumentSummary. Renaming (edit rights) is seen live by open
 * editors; archiving and restoring need the manage permission; marking the document final (or
 * a draft again) needs the resolve permission (co-chairs). A final document's PDF export leaves
 * out the DRAFT watermark unless asked for it.
 */
export const UpdateDocumentRequest = z
  .object({ title: DocumentTitle.optional(), archived: z.boolean().optional(), final: z.boolean().optional() })
  .strict()
  .refine((body) => body.title !== undefined || body.archived !== undefined || body.final !== undefined, {
    message: 'nothing to change: give title, archived and/or final',
  });
export type UpdateDocumentRequest = z.infer<typeof UpdateDocumentRequest>;

/** DELETE /api/documents/:id (manage) → 204. Permanent; open editors are disconnected. */

export const UNTITLED = 'Untitled draft';

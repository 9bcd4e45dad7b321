import { z } from 'zod';
import { PersonRef } from './comments';

/**
 * Version history of a document: versions a co-chair names ("2nd Draft", "version of 29
 * September") and checkpoints the server takes by itself, each the document's full state.
 */
export const VersionId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a version id');

export const VERSION_NAME_MAX_LENGTH = 120;
export const VERSION_NOTE_MAX_LENGTH = 1000;

export const VersionSummary = z.object({
  id: VersionId,
  documentId: z.string(),
  /** named: by a co-chair; checkpoint: taken automatically (after a pause in editing, hourly while edited, before a restore). */
  kind: z.enum(['named', 'checkpoint']),
  /** For checkpoints, a description such as "Before restoring 2nd Draft" or "". */
  name: z.string(),
  note: z.string(),
  /** YYYY-MM-DD of the meeting the version is for, if any. */
  meetingDate: z.string().nullable(),
  createdAt: z.string(),
  /** Who named it; null for automatic checkpoints. */
  createdBy: PersonRef.nullable(),
  /** People whose edits are in this version and were not in the one before it. */
  contributors: z.array(PersonRef),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

/** GET /api/documents/:id/versions (read) → newest first. */
export const ListVersionsResponse = z.object({ versions: z.array(VersionSummary) });
export type ListVersionsResponse = z.infer<typeof ListVersionsResponse>;

/** POST /api/documents/:id/versions (resolve: co-chairs) → 201 VersionSummary: names the current state. */
export const CreateVersionRequest = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(VERSION_NAME_MAX_LENGTH, `name must be at most ${VERSION_NAME_MAX_LENGTH} characters`),
    note: z.string().trim().max(VERSION_NOTE_MAX_LENGTH, `note must be at most ${VERSION_NOTE_MAX_LENGTH} characters`).default(''),
    meetingDate: z.iso.date('meetingDate must be a date (YYYY-MM-DD)').nullable().default(null),
  })
  .strict();
export type CreateVersionRequest = z.input<typeof CreateVersionRequest>;

/** GET /api/documents/:id/versions/:versionId (read) → the version and its content as ProseMirror JSON, to show read-only. */
export const VersionContent = z.object({
  version: VersionSummary,
  title: z.string(),
  content: z.record(z.string(), z.unknown()),
});
export type VersionContent = z.infer<typeof VersionContent>;

/** One stretch of text in a comparison. */
export const CompareRun = z.object({
  text: z.string(),
  change: z.enum(['same', 'inserted', 'deleted']),
  /** Who inserted (or deleted) it, when known. */
  by: PersonRef.nullable(),
});
export type CompareRun = z.infer<typeof CompareRun>;

/** A block (paragraph, heading, list item, table cell, …) of the compared document. */
export const CompareBlock = z.object({
  /** The ProseMirror node type: paragraph, heading, … */
  type: z.string(),
  /** Heading level, for headings. */
  level: z.number().int().nullable(),
  /** Where it sits, outermost first: e.g. ["table", "tableRow", "tableCell"] or ["bulletList", "listItem"]. */
  path: z.array(z.string()),
  /** same: untouched; inserted / deleted: the whole block is new / gone; changed: some runs differ. */
  change: z.enum(['same', 'inserted', 'deleted', 'changed']),
  runs: z.array(CompareRun),
});
export type CompareBlock = z.infer<typeof CompareBlock>;

export const ContributionSummary = z.object({
  person: PersonRef.nullable(),
  wordsAdded: z.number().int(),
  wordsRemoved: z.number().int(),
});
export type ContributionSummary = z.infer<typeof ContributionSummary>;

/** GET /api/documents/:id/compare?from=<versionId>&to=<versionId|current> (read) */
export const CompareQuery = z.object({
  from: VersionId,
  to: z.union([VersionId, z.literal('current')]).default('current'),
});
export const Comparison = z.object({
  from: VersionSummary,
  /** null: the current state. */
  to: VersionSummary.nullable(),
  blocks: z.array(CompareBlock),
  /** Words added and removed per person, most active first. */
  summary: z.array(ContributionSummary),
});
export type Comparison = z.infer<typeof Comparison>;

/**
 * POST /api/documents/:id/versions/:versionId/restore (resolve: co-chairs) → 200 { checkpoint }:
 * the version's content becomes the current content, as a normal edit everyone sees live. A
 * checkpoint of the state before is taken first, so the restore itself can be undone.
 */
export const RestoreResponse = z.object({ checkpoint: VersionSummary });
export type RestoreResponse = z.infer<typeof RestoreResponse>;

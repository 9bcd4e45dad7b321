import type { DocumentKind } from '../../../shared/api/index';

/**
 * Storage contract for documents. Adapters: SQLite (embedded default); PostgreSQL later.
 * Methods are async so network-backed adapters fit the same contract; every write is durable
 * when its promise resolves (the sync layer broadcasts only after that).
 */
export interface DocumentRecord {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  /** The working group it belongs to; null only for documents from before groups existed. */
  groupId: string | null;
  /** When a co-chair marked the document final, and who (null: a draft). */
  final: { at: Date; by: { id: string; name: string } } | null;
  /** 'draft' (written by the group) or 'source' (an imported paper, read-only, annotated). */
  kind: DocumentKind;
  /** A source's short name for citations ("Options Paper"); null for drafts. */
  citeAs: string | null;
}

/** Everything needed to rebuild a document: the latest snapshot plus the updates appended after it. */
export interface StoredContent {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

/**
 * Who made the changes of an update: Yjs client ids seen for the first time, with their person,
 * and the ranges of items the update deleted, with who deleted them. Kept so that comparisons of
 * versions can say who inserted and who deleted what, across restarts.
 */
export interface Attribution {
  clients: { clientId: number; userId: string }[];
  deletions: { clientId: number; clock: number; length: number; userId: string }[];
}

export interface DocumentChanges {
  title?: string;
  archived?: boolean;
  /** Marks the document final (by that person) or back to a draft (null). */
  final?: { by: string } | null;
  citeAs?: string | null;
}

export interface DocStore {
  /** `kind` defaults to 'draft', `citeAs` to null. */
  createDocument(record: { id: string; title: string; groupId: string; kind?: DocumentKind; citeAs?: string | null }): Promise<DocumentRecord>;
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  /** Documents of the given groups, most recently edited (or archived) first. */
  listDocuments(options: { archived: boolean; groupIds: readonly string[] }): Promise<DocumentRecord[]>;
  /** Moves documents that belong to no group (from before groups existed) into one; returns how many. */
  adoptUngroupedDocuments(groupId: string): Promise<number>;
  updateDocument(id: string, changes: DocumentChanges): Promise<DocumentRecord | undefined>;
  /** Removes the document and all its content. Returns false if it did not exist. */
  deleteDocument(id: string): Promise<boolean>;

  loadContent(id: string): Promise<StoredContent>;
  /** Appends one update (and who made it) and bumps the document's updatedAt; durable when resolved. */
  appendUpdate(id: string, update: Uint8Array, attribution?: Attribution): Promise<void>;
  /**
   * What appendUpdate recorded about who made the document's changes: every client id, and the
   * deletions recorded after mark `afterDeletion` up to mark `uptoDeletion` (marks: see
   * VersionRecord.deletionMark). Read in slices, so a long history never stalls the caller's loop.
   */
  loadAttribution(id: string, deletions: { afterDeletion: number; uptoDeletion: number | null }): Promise<Attribution>;
  /**
   * Folds the snapshot and all updates stored so far into a new snapshot, without blocking the
   * caller's thread for the merge. Resolves with how many updates were folded in.
   */
  compact(id: string): Promise<number>;

  /**
   * Resolves when the store can take writes right now (a cheap round trip to the database, room
   * on the disk), rejects saying why not. For /readyz; stores without it are taken as ready.
   */
  checkReady?(): Promise<void>;

  /** Finishes background work and closes the store. */
  close(): Promise<void>;
}

/** A draft's citation of a source paper's paragraph (see shared/schema/citation.ts). */
export interface CitationRecord {
  sourceId: string;
  pid: string;
}

/**
 * Which drafts cite which source paragraphs: an index kept from the drafts' content (the content
 * is the truth; this answers "who cites this paragraph" without reading every draft).
 */
export interface CitationStore {
  /** Makes `citations` the document's whole list (duplicates ignored). */
  replaceCitations(documentId: string, citations: readonly CitationRecord[]): Promise<void>;
  /** The documents citing paragraphs of `sourceId`, with the paragraphs each cites. */
  listCitations(sourceId: string): Promise<{ documentId: string; pid: string }[]>;
}

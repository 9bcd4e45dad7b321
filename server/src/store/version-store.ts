import type { PersonRecord } from './comment-store';

/** Storage contract for a document's versions: named ones and automatic checkpoints, each a full state. */
export interface VersionRecord {
  id: string;
  documentId: string;
  kind: 'named' | 'checkpoint';
  name: string;
  note: string;
  meetingDate: string | null;
  /** The document's title at the time. */
  title: string;
  createdBy: PersonRecord | null;
  createdAt: Date;
  /** People whose changes (insertions or deletions) are in this version and not in the one before (see createVersion). */
  contributors: PersonRecord[];
  /** How far the document's recorded deletions went when the version was taken (for loadAttribution). */
  deletionMark: number;
}

export interface NewVersion {
  id: string;
  documentId: string;
  kind: 'named' | 'checkpoint';
  name: string;
  note: string;
  meetingDate: string | null;
  title: string;
  /** Y.encodeStateAsUpdate of the document. */
  state: Uint8Array;
  createdById: string | null;
}

export interface VersionStore {
  /**
   * Stores the version; its contributors are worked out against the previous version: for a
   * named version the previous named one (who wrote the 2nd Draft since the 1st), for a
   * checkpoint the previous version of any kind.
   */
  createVersion(version: NewVersion): Promise<VersionRecord>;
  /** Newest first. */
  listVersions(documentId: string): Promise<VersionRecord[]>;
  /** The version with its state, if it belongs to that document. */
  getVersion(documentId: string, versionId: string): Promise<{ record: VersionRecord; state: Uint8Array } | undefined>;
}

/**
 * The person's role in each document they opened, remembered on this device so that a draft
 * opened offline (from its local copy) is still read-only for an observer (and a source paper
 * still shown as one). Forgotten on sign-out.
 */
import { DocumentKind, Role } from '../../../shared/api/index';
import type { DocumentSummary } from '../api/documents';

const KEY = 'concord.document-access';
const MAX_ENTRIES = 200;

export interface DocumentAccess {
  role: Role;
  groupId: string;
  groupName: string;
  kind: DocumentKind;
  /** A source's short name for citations; null for a draft. */
  citeAs: string | null;
}

function readAll(): Record<string, DocumentAccess> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, DocumentAccess>) : {};
  } catch {
    return {};
  }
}

export function rememberAccess(summary: DocumentSummary): void {
  try {
    const all = readAll();
    delete all[summary.id];
    all[summary.id] = { role: summary.role, groupId: summary.groupId, groupName: summary.groupName, kind: summary.kind, citeAs: summary.citeAs };
    const ids = Object.keys(all);
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_ENTRIES))) delete all[id];
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage unavailable: offline, the role is simply unknown.
  }
}

export function recallAccess(documentId: string): DocumentAccess | null {
  const entry = readAll()[documentId];
  if (!entry || !Role.safeParse(entry.role).success || typeof entry.groupId !== 'string' || typeof entry.groupName !== 'string') return null;
  // Entries remembered before documents had kinds are drafts.
  return { ...entry, kind: DocumentKind.safeParse(entry.kind).data ?? 'draft', citeAs: typeof entry.citeAs === 'string' ? entry.citeAs : null };
}

export function forgetAllAccess(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

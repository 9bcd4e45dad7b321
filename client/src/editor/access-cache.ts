/**
 * The person's role in each document they opened, remembered on this device so that a draft
 * opened offline (from its local copy) is still read-only for an observer. Forgotten on sign-out.
 */
import { Role } from '../../../shared/api/index';
import type { DocumentSummary } from '../api/documents';

const KEY = 'concord.document-access';
const MAX_ENTRIES = 200;

export interface DocumentAccess {
  role: Role;
  groupId: string;
  groupName: string;
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
    all[summary.id] = { role: summary.role, groupId: summary.groupId, groupName: summary.groupName };
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
  return entry;
}

export function forgetAllAccess(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

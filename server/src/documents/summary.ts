import { UNTITLED, type ActiveEditor, type DocumentSummary, type Role } from '../../../shared/api/index';
import type { DocumentRecord } from '../store/index';

/** A document as the API shows it to a person: with its group's name and their role there. */
export function toDocumentSummary(record: DocumentRecord, group: { name: string; role: Role }, activeEditors: ActiveEditor[]): DocumentSummary {
  return {
    id: record.id,
    title: record.title.trim() || UNTITLED,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    archivedAt: record.archivedAt?.toISOString() ?? null,
    activeEditors,
    groupId: record.groupId!,
    groupName: group.name,
    role: group.role,
    final: record.final && { at: record.final.at.toISOString(), by: record.final.by.name },
    kind: record.kind,
    citeAs: record.citeAs,
  };
}

import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { UNTITLED, type ReportEntry, type ResolutionReport } from '../../../shared/api/index';
import { resolveAnchor, type ProsemirrorMapping } from '../../../shared/comments/index';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';
import { getDocumentSchema } from '../../../shared/schema/index';
import type { DocumentRecord, Store, ThreadRecord } from '../store/index';
import type { RoomRegistry } from '../sync/index';

let schema: Schema | null = null;

/**
 * Every thread with its quoted text, what that text reads now (null when it was removed), the
 * discussion and the resolution, in the order of the anchors in the document.
 */
export function reportEntries(doc: Y.Doc, threads: readonly ThreadRecord[]): ReportEntry[] {
  schema ??= getDocumentSchema();
  const fragment = doc.getXmlFragment(CONTENT_FRAGMENT);
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, schema);
  const located = threads.map((thread) => {
    const range = resolveAnchor(doc, fragment, mapping as ProsemirrorMapping, pmDoc, { start: thread.anchorStart, end: thread.anchorEnd });
    return { thread, range, text: range ? pmDoc.textBetween(range.from, range.to, '\n') : null };
  });
  located.sort((a, b) => (a.range?.from ?? Infinity) - (b.range?.from ?? Infinity) || a.thread.createdAt.getTime() - b.thread.createdAt.getTime());
  return located.map(({ thread, text }, index) => ({
    threadId: thread.id,
    position: index + 1,
    quote: thread.quote,
    currentText: text,
    startedBy: thread.author.name,
    startedAt: thread.createdAt.toISOString(),
    stance: thread.stance,
    discussion: thread.comments.map((comment) => ({
      author: comment.author.name,
      at: comment.createdAt.toISOString(),
      body: comment.deletedAt ? '' : comment.body,
      deleted: comment.deletedAt !== null,
    })),
    status: thread.resolution ? 'resolved' : 'open',
    disposition: thread.resolution?.disposition ?? null,
    reason: thread.resolution?.reason ?? '',
    resolvedBy: thread.resolution?.by.name ?? null,
    resolvedAt: thread.resolution?.at.toISOString() ?? null,
  }));
}

/**
 * The comment-resolution report of a document: its open room's content, else the stored one
 * (read once and let go).
 */
export async function resolutionReport(store: Store, registry: RoomRegistry, document: DocumentRecord): Promise<ResolutionReport> {
  const group = document.groupId === null ? undefined : await store.getGroup(document.groupId);
  const threads = await store.listThreads(document.id);
  const live = registry.peek(document.id);
  let doc = live?.doc;
  if (!doc) {
    const content = await store.loadContent(document.id);
    doc = new Y.Doc();
    if (content.snapshot) Y.applyUpdate(doc, content.snapshot);
    for (const update of content.updates) Y.applyUpdate(doc, update);
  }
  try {
    return {
      documentId: document.id,
      title: document.title.trim() || UNTITLED,
      groupName: group?.name ?? '',
      generatedAt: new Date().toISOString(),
      threads: reportEntries(doc, threads),
    };
  } finally {
    if (!live) doc.destroy();
  }
}

/**
 * A CSV cell: quoted, quotes doubled, and text that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR at the start) prefixed with an apostrophe.
 */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS = ['#', 'Quoted text', 'Text now', 'Started by', 'Started at', 'Discussion', 'Status', 'Disposition', 'Reason', 'Resolved by', 'Resolved at', 'Stance'];

/** The report as CSV (RFC 4180, with a UTF-8 byte order mark so spreadsheet programs read accents right). */
export function reportToCsv(report: ResolutionReport): string {
  const rows = report.threads.map((entry) => [
    entry.position,
    entry.quote,
    entry.currentText ?? '(text removed)',
    entry.startedBy,
    entry.startedAt,
    entry.discussion.map((c) => `${c.author} (${c.at}): ${c.deleted ? '(comment deleted)' : c.body}`).join('\n'),
    entry.status,
    entry.disposition ?? '',
    entry.reason,
    entry.resolvedBy,
    entry.resolvedAt,
    entry.stance ?? '',
  ]);
  return '\uFEFF' + [CSV_COLUMNS, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

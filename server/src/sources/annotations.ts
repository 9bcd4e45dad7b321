import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import type { Stance } from '../../../shared/api/index';
import { resolveAnchor, type ProsemirrorMapping } from '../../../shared/comments/index';
import type { DocumentRecord, ThreadRecord } from '../store/index';
import { listParagraphs, proseMirrorOf, type LocatedParagraph } from './paragraphs';

/**
 * The W3C Web Annotation motivation of each stance (https://www.w3.org/TR/annotation-vocab/#motivation):
 * support is an assessment, a concern too (with the annotation's text saying why), a question is
 * questioning, a proposal for action is editing (a request for a change); a thread without a stance is commenting.
 */
export const STANCE_MOTIVATIONS: Record<Stance, string> = {
  support: 'assessing',
  concern: 'assessing',
  question: 'questioning',
  proposal: 'editing',
};

/** Characters of context around the quoted text, as TextQuoteSelector prefix and suffix. */
const CONTEXT_CHARS = 32;

/** Where a thread's text is in the source: the paragraph where it starts and offsets in that paragraph's text. */
export interface ThreadTarget {
  paragraph: LocatedParagraph;
  start: number;
  end: number;
}

/** The paragraph a ProseMirror range starts in, and the range as offsets in its text (cut at its end). */
export function targetOf(paragraphs: readonly LocatedParagraph[], range: { from: number; to: number }): ThreadTarget | null {
  for (const paragraph of paragraphs) {
    const contentStart = paragraph.pos + 1;
    const contentEnd = contentStart + paragraph.node.content.size;
    if (range.from < contentStart - 1 || range.from > contentEnd) continue;
    const offset = (pos: number) => textLength(paragraph.node, Math.max(0, Math.min(pos, contentEnd) - contentStart));
    const start = offset(range.from);
    const end = offset(range.to);
    if (end > start) return { paragraph, start, end };
  }
  return null;
}

/** Length of a block's text (as blockText counts it) up to a position inside it. */
function textLength(node: ProseMirrorNode, upto: number): number {
  return node.textBetween(0, upto, '', (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : '')).length;
}

export interface AnnotationContext {
  /** Where people open the app, for the ids of the annotations and of their targets. */
  origin: string;
  document: DocumentRecord;
}

/**
 * The threads of a source as a W3C Web Annotation collection (JSON-LD): one Annotation per thread
 * whose text still resolves, targeting the paragraph (source: its URL) with a TextQuoteSelector
 * and a TextPositionSelector counted in the paragraph's text. Comments are TextualBody bodies
 * (the first with the stance's motivation as purpose, replies "replying"), the stance a "tagging" body.
 */
export function annotationCollection(doc: Y.Doc, threads: readonly ThreadRecord[], context: AnnotationContext): Record<string, unknown> {
  const { pmDoc, mapping, fragment } = proseMirrorOf(doc);
  const paragraphs = listParagraphs(pmDoc);
  const base = `${context.origin}/d/${context.document.id}`;
  const items: Record<string, unknown>[] = [];
  for (const thread of threads) {
    const range = resolveAnchor(doc, fragment, mapping as ProsemirrorMapping, pmDoc, { start: thread.anchorStart, end: thread.anchorEnd });
    const target = range && targetOf(paragraphs, range);
    if (!target) continue;
    const text = target.paragraph.text;
    const motivation = thread.stance ? STANCE_MOTIVATIONS[thread.stance] : 'commenting';
    const comments = thread.comments.filter((comment) => comment.deletedAt === null);
    items.push({
      id: `${base}#annotation-${thread.id}`,
      type: 'Annotation',
      motivation,
      created: thread.createdAt.toISOString(),
      creator: { type: 'Person', name: thread.author.name },
      // The stance also as a tag, so support and concern (both "assessing") stay apart.
      body: [
        ...(thread.stance ? [{ type: 'TextualBody', value: thread.stance, purpose: 'tagging' }] : []),
        ...comments.map((comment) => ({
        type: 'TextualBody',
        value: comment.body,
        format: 'text/plain',
        purpose: comment === comments[0] ? motivation : 'replying',
        creator: { type: 'Person', name: comment.author.name },
        created: comment.createdAt.toISOString(),
        ...(comment.editedAt ? { modified: comment.editedAt.toISOString() } : {}),
        })),
      ],
      target: {
        source: `${base}#${target.paragraph.pid}`,
        selector: [
          {
            type: 'TextQuoteSelector',
            exact: text.slice(target.start, target.end),
            prefix: text.slice(Math.max(0, target.start - CONTEXT_CHARS), target.start),
            suffix: text.slice(target.end, target.end + CONTEXT_CHARS),
          },
          { type: 'TextPositionSelector', start: target.start, end: target.end },
        ],
      },
    });
  }
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `${context.origin}/api/sources/${context.document.id}/annotations.jsonld`,
    type: 'AnnotationCollection',
    label: `Annotations on ${context.document.citeAs ?? context.document.title}`,
    total: items.length,
    first: {
      id: `${context.origin}/api/sources/${context.document.id}/annotations.jsonld#page1`,
      type: 'AnnotationPage',
      startIndex: 0,
      items,
    },
  };
}

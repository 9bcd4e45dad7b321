import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { SourceParagraph } from '../../../shared/api/index';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';
import { getDocumentSchema } from '../../../shared/schema/index';
import type { ProseMirrorJson } from '../export/index';
import { numberBlocks, type BlockInfo, type NumberingResult, type PreviousParagraph } from './numbering';

const TEXTBLOCKS = new Set(['paragraph', 'heading']);

/** Plain text of inline JSON content: text as is, hard breaks as "\n", footnotes and the like as nothing. */
function jsonText(node: ProseMirrorJson): string {
  return (node.content ?? []).map((child) => (child.type === 'text' ? (child.text ?? '') : child.type === 'hardBreak' ? '\n' : '')).join('');
}

/** Plain text of a paragraph or heading, counted as jsonText counts it (W3C selector offsets use it). */
export function blockText(node: ProseMirrorNode): string {
  return node.textBetween(0, node.content.size, '', (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : ''));
}

/** Whether a paper has any text at all (an empty file is not a paper). */
export function hasText(doc: ProseMirrorJson): boolean {
  let found = false;
  const walk = (node: ProseMirrorJson) => {
    if (found) return;
    if (node.type === 'text' && (node.text ?? '').trim() !== '') found = true;
    for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return found;
}

/**
 * Sets `pid` and `label` on every paragraph and heading of `doc` (ProseMirror JSON, changed in
 * place), keeping the pids of `previous` paragraphs that match (a re-import).
 */
export function numberContent(doc: ProseMirrorJson, previous: readonly PreviousParagraph[] = []): NumberingResult {
  const nodes: ProseMirrorJson[] = [];
  const blocks: BlockInfo[] = [];
  const walk = (node: ProseMirrorJson, inList: boolean, inTable: boolean, listNumber: number | null, listStart: number | null = null) => {
    if (TEXTBLOCKS.has(node.type)) {
      nodes.push(node);
      blocks.push({ kind: node.type === 'heading' ? 'heading' : 'paragraph', text: jsonText(node), inList, inTable, listNumber, listStart });
      return;
    }
    const start = node.type === 'orderedList' ? Number(node.attrs?.start ?? 1) || 1 : null;
    const childInTable = inTable || node.type === 'table';
    (node.content ?? []).forEach((child, index) => {
      if (start !== null && child.type === 'listItem') {
        // Only the item's first paragraph carries the list's number.
        (child.content ?? []).forEach((grandchild, inner) => walk(grandchild, true, childInTable, inner === 0 ? start + index : null, start));
      } else walk(child, inList || node.type === 'listItem' || node.type === 'bulletList', childInTable, null);
    });
  };
  walk(doc, false, false, null);
  const result = numberBlocks(blocks, previous);
  nodes.forEach((node, index) => {
    node.attrs = { ...(node.attrs ?? {}), pid: result.pids[index], label: result.labels[index].label };
  });
  return result;
}

let schema: Schema | null = null;

/** A paragraph of a source as the API lists it, with where it is in the ProseMirror document. */
export interface LocatedParagraph extends SourceParagraph {
  /** Position of the block's start in the ProseMirror document (its content starts at pos + 1). */
  pos: number;
  node: ProseMirrorNode;
}

/** The source's content as a ProseMirror document, with the mapping anchors resolve through. */
export function proseMirrorOf(doc: Y.Doc): { pmDoc: ProseMirrorNode; mapping: Map<Y.AbstractType<unknown>, unknown>; fragment: Y.XmlFragment } {
  schema ??= getDocumentSchema();
  const fragment = doc.getXmlFragment(CONTENT_FRAGMENT);
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, schema);
  return { pmDoc, mapping: mapping as Map<Y.AbstractType<unknown>, unknown>, fragment };
}

/** Every paragraph and heading that has a pid, in reading order. */
export function listParagraphs(pmDoc: ProseMirrorNode): LocatedParagraph[] {
  const paragraphs: LocatedParagraph[] = [];
  pmDoc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const pid = node.attrs.pid;
    if (typeof pid === 'string' && TEXTBLOCKS.has(node.type.name)) {
      paragraphs.push({
        pid,
        label: typeof node.attrs.label === 'string' ? node.attrs.label : '',
        kind: node.type.name === 'heading' ? 'heading' : 'paragraph',
        level: node.type.name === 'heading' ? Number(node.attrs.level) || 1 : null,
        text: blockText(node),
        pos,
        node,
      });
    }
    return false;
  });
  return paragraphs;
}

/** The Yjs element of the paragraph or heading with this pid, if any. */
export function findParagraphElement(doc: Y.Doc, pid: string): Y.XmlElement | null {
  const search = (parent: Y.XmlFragment | Y.XmlElement): Y.XmlElement | null => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (TEXTBLOCKS.has(child.nodeName) && child.getAttribute('pid') === pid) return child;
      const found = search(child);
      if (found) return found;
    }
    return null;
  };
  return search(doc.getXmlFragment(CONTENT_FRAGMENT));
}

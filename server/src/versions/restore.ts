import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';

type XmlNode = Y.XmlElement | Y.XmlText;

/** A node's identity for matching: its whole XML (name, attributes, formatting, text). */
const keyOf = (node: XmlNode): string => node.toString();

/**
 * Turns `target`'s content into `source`'s with as few changes as it can: blocks that are the same
 * in both are kept (longest common subsequence), a block that differs only in its text keeps the
 * text both share at its start and end, and the rest is deleted and inserted. Kept text keeps its
 * Yjs items, so comparing the restored version with the result shows only real differences.
 */
export function transformContent(target: Y.Doc, source: Y.Doc): void {
  transformChildren(target.getXmlFragment(CONTENT_FRAGMENT), source.getXmlFragment(CONTENT_FRAGMENT), editText);
}

/**
 * Turns `parent`'s children into copies of `wantedParent`'s: children that are the same in both are
 * kept (longest common subsequence); where neither of two children at the same place is part of it,
 * `edit` may change the old one into the wanted one in place (true when it did); the rest is
 * deleted and inserted. Also used by a source paper's re-import (sources/replace-content.ts).
 */
export function transformChildren(
  parent: Y.XmlFragment | Y.XmlElement,
  wantedParent: Y.XmlFragment | Y.XmlElement,
  edit: (old: XmlNode, wanted: XmlNode) => boolean,
): void {
  const from = parent.toArray() as XmlNode[];
  const to = wantedParent.toArray() as XmlNode[];
  const fromKeys = from.map(keyOf);
  const toKeys = to.map(keyOf);

  // LCS table over node keys (suffix lengths).
  const lcs: Uint32Array[] = Array.from({ length: from.length + 1 }, () => new Uint32Array(to.length + 1));
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      lcs[i][j] = fromKeys[i] === toKeys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }

  // Walk both lists; `index` is the position in `parent` as it is being changed.
  let i = 0;
  let j = 0;
  let index = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && fromKeys[i] === toKeys[j]) {
      i++;
      j++;
      index++;
    } else if (i < from.length && j < to.length && lcs[i + 1][j + 1] === lcs[i][j] && edit(from[i], to[j])) {
      // Neither child is part of the common subsequence here: the old one was edited into the wanted one.
      i++;
      j++;
      index++;
    } else if (j < to.length && (i === from.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      parent.insert(index, [to[j].clone() as XmlNode]);
      j++;
      index++;
    } else {
      parent.delete(index, 1);
      i++;
    }
  }
}

/** Replaces only the part of `text` between the start and the end it shares with `wanted`. */
export function editTextMiddle(text: Y.XmlText, wanted: string): void {
  const current = text.toString();
  let prefix = 0;
  while (prefix < current.length && prefix < wanted.length && current[prefix] === wanted[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < current.length - prefix &&
    suffix < wanted.length - prefix &&
    current[current.length - 1 - suffix] === wanted[wanted.length - 1 - suffix]
  ) {
    suffix++;
  }
  text.delete(prefix, current.length - prefix - suffix);
  text.insert(prefix, wanted.slice(prefix, wanted.length - suffix));
}

/**
 * Edits block `old` into `wanted` in place when both are the same kind of text block (same node and
 * attributes, one plain text child each): only the differing middle of the text is replaced.
 */
function editText(old: XmlNode, wanted: XmlNode): boolean {
  if (!(old instanceof Y.XmlElement) || !(wanted instanceof Y.XmlElement)) return false;
  if (old.nodeName !== wanted.nodeName || JSON.stringify(old.getAttributes()) !== JSON.stringify(wanted.getAttributes())) return false;
  if (old.length !== 1 || wanted.length !== 1) return false;
  const oldText = old.get(0);
  const wantedText = wanted.get(0);
  if (!(oldText instanceof Y.XmlText) || !(wantedText instanceof Y.XmlText)) return false;
  // Formatting must match too: compare the rich-text deltas' attributes.
  const plain = (text: Y.XmlText) => text.toDelta().every((op: { attributes?: object }) => !op.attributes);
  if (!plain(oldText) || !plain(wantedText)) return false;
  editTextMiddle(oldText, wantedText.toString());
  return true;
}

import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';

type Block = Y.XmlElement | Y.XmlText;

/** A block's identity for matching: its whole XML (node, attributes, formatting, text). */
const keyOf = (block: Block): string => block.toString();

/**
 * Turns `target`'s content into `source`'s with as few changes as it can: blocks that are the same
 * in both are kept (longest common subsequence), a block that differs only in its text keeps the
 * text both share at its start and end, and the rest is deleted and inserted. Kept text keeps its
 * Yjs items, so comparing the restored version with the result shows only real differences.
 */
export function transformContent(target: Y.Doc, source: Y.Doc): void {
  const fragment = target.getXmlFragment(CONTENT_FRAGMENT);
  const from = fragment.toArray() as Block[];
  const to = source.getXmlFragment(CONTENT_FRAGMENT).toArray() as Block[];
  const fromKeys = from.map(keyOf);
  const toKeys = to.map(keyOf);

  // LCS table over block keys (suffix lengths).
  const lcs: Uint32Array[] = Array.from({ length: from.length + 1 }, () => new Uint32Array(to.length + 1));
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      lcs[i][j] = fromKeys[i] === toKeys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }

  // Walk both lists; `index` is the position in the fragment as it is being changed.
  let i = 0;
  let j = 0;
  let index = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && fromKeys[i] === toKeys[j]) {
      i++;
      j++;
      index++;
    } else if (i < from.length && j < to.length && lcs[i + 1][j + 1] === lcs[i][j] && editText(from[i], to[j])) {
      // Neither block is part of the common subsequence here: the old one is edited into the new one.
      i++;
      j++;
      index++;
    } else if (j < to.length && (i === from.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      fragment.insert(index, [to[j].clone() as Block]);
      j++;
      index++;
    } else {
      fragment.delete(index, 1);
      i++;
    }
  }
}

/**
 * Edits block `old` into `wanted` in place when both are the same kind of text block (same node and
 * attributes, one plain text child each): only the differing middle of the text is replaced.
 */
function editText(old: Block, wanted: Block): boolean {
  if (!(old instanceof Y.XmlElement) || !(wanted instanceof Y.XmlElement)) return false;
  if (old.nodeName !== wanted.nodeName || JSON.stringify(old.getAttributes()) !== JSON.stringify(wanted.getAttributes())) return false;
  if (old.length !== 1 || wanted.length !== 1) return false;
  const oldText = old.get(0);
  const wantedText = wanted.get(0);
  if (!(oldText instanceof Y.XmlText) || !(wantedText instanceof Y.XmlText)) return false;
  // Formatting must match too: compare the rich-text deltas' attributes.
  const plain = (text: Y.XmlText) => text.toDelta().every((op: { attributes?: object }) => !op.attributes);
  if (!plain(oldText) || !plain(wantedText)) return false;
  const a = oldText.toString();
  const b = wantedText.toString();
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  oldText.delete(prefix, a.length - prefix - suffix);
  oldText.insert(prefix, b.slice(prefix, b.length - suffix));
  return true;
}

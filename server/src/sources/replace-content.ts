import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';

type Child = Y.XmlElement | Y.XmlText;

/** A node's identity for matching: its whole XML (name, attributes, formatting, text). */
const keyOf = (node: Child): string => node.toString();

/**
 * Turns `target`'s content into `source`'s, keeping every Yjs item it can, so thread anchors
 * (relative positions into those items) keep resolving after a source paper is re-imported.
 * Like restoring a version (versions/restore.ts), but all the way down: at each level the
 * children that are the same are kept (longest common subsequence), an element that became a
 * different version of itself (same node, same pid, if any) is changed in place (attributes,
 * then its own children the same way, and text by its shared start and end), the rest is
 * deleted or inserted.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc): void {
  mergeChildren(target.getXmlFragment(CONTENT_FRAGMENT), source.getXmlFragment(CONTENT_FRAGMENT));
}

function mergeChildren(parent: Y.XmlFragment | Y.XmlElement, wantedParent: Y.XmlFragment | Y.XmlElement): void {
  const from = parent.toArray() as Child[];
  const to = wantedParent.toArray() as Child[];
  const fromKeys = from.map(keyOf);
  const toKeys = to.map(keyOf);
  const lcs: Uint32Array[] = Array.from({ length: from.length + 1 }, () => new Uint32Array(to.length + 1));
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      lcs[i][j] = fromKeys[i] === toKeys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  let index = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && fromKeys[i] === toKeys[j]) {
      i++;
      j++;
      index++;
    } else if (i < from.length && j < to.length && lcs[i + 1][j + 1] === lcs[i][j] && sameThing(from[i], to[j])) {
      mergeNode(from[i], to[j]);
      i++;
      j++;
      index++;
    } else if (j < to.length && (i === from.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      parent.insert(index, [to[j].clone() as Child]);
      j++;
      index++;
    } else {
      parent.delete(index, 1);
      i++;
    }
  }
}

/** Two versions of one node: the same kind of element (and the same paragraph, when they have pids), or two texts. */
function sameThing(old: Child, wanted: Child): boolean {
  if (old instanceof Y.XmlText && wanted instanceof Y.XmlText) return true;
  if (!(old instanceof Y.XmlElement) || !(wanted instanceof Y.XmlElement) || old.nodeName !== wanted.nodeName) return false;
  const pid = old.getAttribute('pid');
  return pid === undefined || pid === wanted.getAttribute('pid');
}

function mergeNode(old: Child, wanted: Child): void {
  if (old instanceof Y.XmlText && wanted instanceof Y.XmlText) {
    mergeText(old, wanted);
    return;
  }
  const element = old as Y.XmlElement;
  const wantedElement = wanted as Y.XmlElement;
  const attributes = wantedElement.getAttributes() as Record<string, string>;
  for (const name of Object.keys(element.getAttributes())) if (!(name in attributes)) element.removeAttribute(name);
  for (const [name, value] of Object.entries(attributes)) if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  mergeChildren(element, wantedElement);
}

/** Replaces only the differing middle of the text; formatting differences replace the whole text. */
function mergeText(old: Y.XmlText, wanted: Y.XmlText): void {
  const plain = (text: Y.XmlText) => text.toDelta().every((op: { insert: unknown; attributes?: object }) => !op.attributes && typeof op.insert === 'string');
  if (!plain(old) || !plain(wanted)) {
    old.delete(0, old.length);
    old.applyDelta(wanted.toDelta());
    return;
  }
  const a = old.toString();
  const b = wanted.toString();
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  old.delete(prefix, a.length - prefix - suffix);
  old.insert(prefix, b.slice(prefix, b.length - suffix));
}

import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';
import { editTextMiddle, transformChildren } from '../versions/index';

type Child = Y.XmlElement | Y.XmlText;

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
  transformChildren(target.getXmlFragment(CONTENT_FRAGMENT), source.getXmlFragment(CONTENT_FRAGMENT), mergeNode);
}

/** Two versions of one node: the same kind of element (and the same paragraph, when they have pids), or two texts. */
function sameThing(old: Child, wanted: Child): boolean {
  if (old instanceof Y.XmlText && wanted instanceof Y.XmlText) return true;
  if (!(old instanceof Y.XmlElement) || !(wanted instanceof Y.XmlElement) || old.nodeName !== wanted.nodeName) return false;
  const pid = old.getAttribute('pid');
  return pid === undefined || pid === wanted.getAttribute('pid');
}

/** Changes `old` into `wanted` in place when they are two versions of one node (true when it did). */
function mergeNode(old: Child, wanted: Child): boolean {
  if (!sameThing(old, wanted)) return false;
  if (old instanceof Y.XmlText && wanted instanceof Y.XmlText) {
    mergeText(old, wanted);
    return true;
  }
  const element = old as Y.XmlElement;
  const wantedElement = wanted as Y.XmlElement;
  const attributes = wantedElement.getAttributes() as Record<string, string>;
  for (const name of Object.keys(element.getAttributes())) if (!(name in attributes)) element.removeAttribute(name);
  for (const [name, value] of Object.entries(attributes)) if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  transformChildren(element, wantedElement, mergeNode);
  return true;
}

/** Replaces only the differing middle of the text; formatting differences replace the whole text. */
function mergeText(old: Y.XmlText, wanted: Y.XmlText): void {
  const plain = (text: Y.XmlText) => text.toDelta().every((op: { insert: unknown; attributes?: object }) => !op.attributes && typeof op.insert === 'string');
  if (!plain(old) || !plain(wanted)) {
    old.delete(0, old.length);
    old.applyDelta(wanted.toDelta());
    return;
  }
  editTextMiddle(old, wanted.toString());
}

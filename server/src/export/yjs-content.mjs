// Documents between ProseMirror and Yjs on the conversion worker, without recursion over input
// that may be nested arbitrarily deep, and in slices:
// - encodeChunks: a checked ProseMirror document → the Yjs updates that build it, several
//   transactions of about `chunkBytes` each, so the server's main thread can store (or apply) a
//   large import a slice at a time. The Yjs content is exactly what y-prosemirror writes
//   (prosemirrorJSONToYDoc: same element names, attributes, text deltas and mark attributes).
// - yjsToJson: a document's Yjs content → ProseMirror JSON, as yXmlFragmentToProsemirrorJSON
//   does, but iteratively and counting against the document limits as it goes, so a huge or
//   deeply nested stored document fails with a clear limit instead of a crash.
// Plain JavaScript, like the rest of the worker.
import * as buf from 'lib0/buffer';
import * as sha256 from 'lib0/hash/sha256';
import * as Y from 'yjs';
import { LimitCounter } from './limits.mjs';

export const CONTENT_FRAGMENT = 'default';
const META_MAP = 'meta';
const META_TITLE = 'title';

// ---------------------------------------------------------------------------------------------
// ProseMirror → Yjs

/** y-prosemirror's hashOfJSON: the attribute key of a mark that may overlap itself. */
function hashOfJSON(json) {
  const digest = sha256.digest(buf.encodeAny(json));
  const N = 6;
  for (let i = N; i < digest.length; i++) digest[i % N] = digest[i % N] ^ digest[i];
  return buf.toBase64(digest.slice(0, N));
}

function marksToAttributes(marks) {
  const attributes = {};
  for (const mark of marks) {
    if (mark.type.name === 'ychange') continue;
    const overlapping = !mark.type.excludes(mark.type);
    attributes[overlapping ? `${mark.type.name}--${hashOfJSON(mark.toJSON())}` : mark.type.name] = mark.attrs;
  }
  return attributes;
}

/**
 * A ProseMirror node as a (not yet integrated) Yjs type, as y-prosemirror's createTypeFromElementNode:
 * non-null attributes, runs of text as one Y.XmlText. Recursive, but only over a checked document,
 * whose depth the readers bound (limits.mjs clampDepth).
 */
function typeOf(node) {
  const type = new Y.XmlElement(node.type.name);
  for (const key in node.attrs) {
    const value = node.attrs[key];
    if (value !== null && key !== 'ychange') type.setAttribute(key, value);
  }
  const children = [];
  let texts = null;
  node.content.forEach((child) => {
    if (child.isText) {
      (texts ??= []).push({ insert: child.text, attributes: marksToAttributes(child.marks) });
      return;
    }
    if (texts) {
      const text = new Y.XmlText();
      text.applyDelta(texts);
      children.push(text);
      texts = null;
    }
    children.push(typeOf(child));
  });
  if (texts) {
    const text = new Y.XmlText();
    text.applyDelta(texts);
    children.push(text);
  }
  if (children.length > 0) type.insert(0, children);
  return type;
}

/** Rough size of a block in a Yjs update: its text plus a few bytes per node. */
function weightOf(node) {
  return node.nodeSize * 2 + node.textContent.length;
}

/**
 * A document (a checked ProseMirror Node of the shared schema) and its title (none: content
 * only) → the Yjs updates that build a new document holding them, in order: each a transaction of
 * top-level blocks of about `chunkBytes`, then the title. Applying them one after the other gives
 * the same content as prosemirrorJSONToYDoc.
 */
export function encodeChunks(pmDoc, title, { chunkBytes = 256 * 1024 } = {}) {
  const doc = new Y.Doc();
  const updates = [];
  const onUpdate = (update) => updates.push(update);
  doc.on('update', onUpdate);
  try {
    const fragment = doc.getXmlFragment(CONTENT_FRAGMENT);
    let batch = [];
    let weight = 0;
    const flush = () => {
      if (batch.length === 0) return;
      const blocks = batch;
      doc.transact(() => fragment.insert(fragment.length, blocks.map(typeOf)));
      batch = [];
      weight = 0;
    };
    pmDoc.content.forEach((block) => {
      batch.push(block);
      weight += weightOf(block);
      if (weight >= chunkBytes) flush();
    });
    flush();
    if (title !== undefined) doc.transact(() => doc.getMap(META_MAP).set(META_TITLE, title));
    return updates;
  } finally {
    doc.off('update', onUpdate);
    doc.destroy();
  }
}

/** Whether an update deletes anything. */
const deletes = (update) => Y.decodeUpdate(update).ds.clients.size > 0;

/**
 * Consecutive updates merged into pieces of about `bytes` (fewer, larger slices); with
 * `keepDeletions`, an update that deletes stays a slice of its own.
 */
export function mergeInto(updates, bytes, { keepDeletions = false } = {}) {
  const out = [];
  let pending = [];
  let size = 0;
  for (const update of updates) {
    if (keepDeletions && deletes(update)) {
      if (pending.length > 0) out.push(pending.length === 1 ? pending[0] : Y.mergeUpdates(pending));
      out.push(update);
      pending = [];
      size = 0;
      continue;
    }
    if (size > 0 && size + update.byteLength > bytes) {
      out.push(pending.length === 1 ? pending[0] : Y.mergeUpdates(pending));
      pending = [];
      size = 0;
    }
    pending.push(update);
    size += update.byteLength;
  }
  if (pending.length > 0) out.push(pending.length === 1 ? pending[0] : Y.mergeUpdates(pending));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Yjs → ProseMirror JSON

/** y-prosemirror's yattr2markname: `comment--hash` → `comment`. */
const markName = (attribute) => attribute.split('--')[0];

/**
 * A Y.XmlFragment's content as ProseMirror JSON (`{ type: 'doc', content }`), as
 * yXmlFragmentToProsemirrorJSON builds it, without recursion. `limits` (optional): a
 * LimitCounter's limits; a document over them throws a LimitError as soon as that is known.
 */
export function yjsToJson(fragment, limits, what = 'export') {
  const counter = limits ? new LimitCounter(limits, what) : null;
  const root = { type: 'doc', content: [] };
  const stack = [[fragment, root]];
  while (stack.length > 0) {
    const [type, json] = stack.pop();
    const children = type.toArray();
    const content = [];
    const pending = [];
    for (const child of children) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta()) {
          if (typeof op.insert !== 'string') continue;
          const text = { type: 'text', text: op.insert };
          if (op.attributes) text.marks = Object.keys(op.attributes).map((key) => ({ type: markName(key), attrs: op.attributes[key] }));
          counter?.text(op.insert.length);
          content.push(text);
        }
      } else if (child instanceof Y.XmlElement) {
        const node = { type: child.nodeName };
        const attrs = child.getAttributes();
        if (Object.keys(attrs).length > 0) node.attrs = attrs;
        counter?.node(node.type);
        content.push(node);
        pending.push([child, node]);
      }
    }
    if (content.length > 0 || json === root) json.content = content;
    // Children in reverse, so the stack visits them in document order (only the counting order cares).
    for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]);
  }
  return root;
}

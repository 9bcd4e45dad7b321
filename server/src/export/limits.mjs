// The document limits of imports and exports (shared/api/import.ts ImportLimits and
// DOCUMENT_MAX_DEPTH), on the conversion worker. Plain JavaScript, like the rest of the worker.
//
// Every walk here is iterative: these functions run on documents that may be nested arbitrarily
// deep (a hostile file, or content a client wrote), before anything else walks them.

/** Over a limit: answered as 413 `too_large` with this message, naming the limit. */
export class LimitError extends Error {
  constructor(message) {
    super(message);
    this.code = 'too_large';
  }
}

const count = (n) => n.toLocaleString('en-US');

/** How each limit is named in messages: what is counted, and the setting that changes it. */
const NAMES = {
  maxCharacters: ['characters', 'characters', 'DOCUMENT_MAX_CHARACTERS'],
  maxNodes: ['nodes (paragraphs, list items, runs of text…)', 'nodes', 'DOCUMENT_MAX_NODES'],
  maxTableCells: ['table cells', 'table cells', 'DOCUMENT_MAX_TABLE_CELLS'],
};

/** The 413 of a document over `limit` (a key of NAMES): "… too large to import: it has more than …". */
export function documentLimitError(limits, limit, what) {
  const [counted, unit, setting] = NAMES[limit];
  return new LimitError(`the document is too large to ${what}: it has more than ${count(limits[limit])} ${counted}; the limit is ${count(limits[limit])} ${unit} (${setting})`);
}

/** Counts a document's characters, nodes and table cells as they are met; throws once one is over. */
export class LimitCounter {
  constructor(limits, what) {
    this.limits = limits;
    this.what = what;
    this.characters = 0;
    this.nodes = 0;
    this.cells = 0;
  }

  node(type) {
    if (++this.nodes > this.limits.maxNodes) throw documentLimitError(this.limits, 'maxNodes', this.what);
    if ((type === 'tableCell' || type === 'tableHeader') && ++this.cells > this.limits.maxTableCells) {
      throw documentLimitError(this.limits, 'maxTableCells', this.what);
    }
  }

  text(length) {
    this.node('text');
    this.characters += length;
    if (this.characters > this.limits.maxCharacters) throw documentLimitError(this.limits, 'maxCharacters', this.what);
  }
}

/** Every node of a document (ProseMirror JSON) counted against the limits; throws a LimitError when over. */
export function checkLimits(doc, limits, what = 'import') {
  const counter = new LimitCounter(limits, what);
  const stack = [...(Array.isArray(doc?.content) ? doc.content : [])];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (node.type === 'text') counter.text(typeof node.text === 'string' ? node.text.length : 0);
    else counter.node(node.type);
    if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]);
  }
  return counter;
}

const TEXTBLOCKS = new Set(['paragraph', 'heading']);
/** Nodes whose content is blocks (the schema's `block+` / `paragraph block*`): flattening may happen here. */
const CONTAINERS = new Set(['doc', 'blockquote', 'listItem', 'tableCell', 'tableHeader']);

/** Inline content with anything nested inside inline nodes spliced in as its leaves (text, hard breaks, atoms). */
function flatInline(nodes) {
  if (!nodes.some((node) => Array.isArray(node?.content))) return nodes;
  const out = [];
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]);
    else out.push(node);
  }
  return out;
}

/**
 * The text blocks inside `nodes`, in order, as a flat list of blocks: paragraphs (headings stay
 * headings), horizontal rules; lists, quotes, tables and anything else are opened up.
 */
export function flattenBlocks(nodes) {
  const out = [];
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (TEXTBLOCKS.has(node.type)) {
      const content = Array.isArray(node.content) ? flatInline(node.content) : undefined;
      out.push({ ...node, ...(content ? { content } : {}) });
    } else if (node.type === 'horizontalRule') out.push(node);
    else if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]);
  }
  return out;
}

/**
 * Makes sure no node of `doc` (ProseMirror JSON, changed in place) is deeper than `maxDepth` (the
 * document is depth 0): a block container (quote, list item, table cell) met 4 levels above it or
 * deeper gets its blocks flattened into paragraphs, which keeps the document valid and its text;
 * anything else still too deep (only content no reader makes) is flattened too. Text blocks' inline
 * content is made flat everywhere. Returns `doc`.
 */
export function clampDepth(doc, maxDepth) {
  const stack = [[doc, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop();
    if (!node || typeof node !== 'object' || !Array.isArray(node.content)) continue;
    if (TEXTBLOCKS.has(node.type)) {
      node.content = flatInline(node.content);
      continue;
    }
    const container = CONTAINERS.has(node.type);
    if ((container && depth >= maxDepth - 4) || depth >= maxDepth - 1) {
      node.content = flattenBlocks(node.content);
      if (node.type === 'listItem' && node.content[0]?.type !== 'paragraph') node.content.unshift({ type: 'paragraph' });
      if (node.content.length === 0 && node.type !== 'doc') node.content.push({ type: 'paragraph' });
      continue;
    }
    for (const child of node.content) stack.push([child, depth + 1]);
  }
  return doc;
}

/** The deepest node of a document (ProseMirror JSON; the document is depth 0). */
export function depthOf(doc) {
  let deepest = 0;
  const stack = [[doc, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop();
    if (depth > deepest) deepest = depth;
    if (Array.isArray(node?.content)) for (const child of node.content) stack.push([child, depth + 1]);
  }
  return deepest;
}

// HTML import (for source papers): parse5 parses any HTML as a browser would (no DOM, no script
// runs), and the result goes through the same reader as Word files (docx.mjs).
import { parse, parseFragment } from 'parse5';
import { contentFromHtmlTree } from './docx.mjs';
import { ImportError } from './markdown.mjs';

/** Elements dropped with everything inside them: not text of the paper. */
const DROPPED = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'canvas',
  'video', 'audio', 'select', 'button', 'input', 'textarea', 'form', 'nav',
]);
/** Structural containers: a paragraph when they hold only text, else their blocks in their place. */
const CONTAINERS = new Set(['body', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'figure', 'center', 'address', 'details', 'fieldset', 'dl', 'hgroup', 'search']);
/** Tags the reader takes as blocks (docx.mjs BLOCK_TAGS). */
const READER_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'table', 'hr', 'div']);
/** Blocks of text the reader knows as paragraphs. */
const PARAGRAPHS = new Set(['pre', 'dt', 'dd', 'summary', 'figcaption', 'caption', 'legend']);
const MAX_DEPTH = 200;

/**
 * parse5's tree → the reader's { tag, attrs, children } / { text } nodes (an array: containers
 * give their blocks in their place). Footnotes in the form Markdown converters and Pandoc write
 * (`<a href="#fn1" id="fnref1">`, `<li id="fn1">`) are renamed to Word's form, which the reader
 * turns into footnote nodes.
 */
function toReaderNodes(node, depth = 0) {
  if (node.nodeName === '#text') return [{ text: node.value }];
  if (!node.tagName || DROPPED.has(node.tagName)) return [];
  // Nested deeper than any page: its text is kept, as one paragraph, its structure is not.
  if (depth > MAX_DEPTH) return [{ tag: 'p', attrs: {}, children: [{ text: textOf(node).replace(/\s+/g, ' ').trim() }] }];
  const attrs = {};
  for (const attr of node.attrs ?? []) attrs[attr.name.toLowerCase()] = attr.value;
  let tag = PARAGRAPHS.has(node.tagName) ? 'p' : node.tagName;
  const noteNumber = (value) => /^#?fn-?(\d+)$/.exec(value ?? '')?.[1];
  const refNumber = (value) => /^#?fnref-?(\d+)(?::\d+)?$/.exec(value ?? '')?.[1];
  if (tag === 'li' && noteNumber(attrs.id)) attrs.id = `footnote-${noteNumber(attrs.id)}`;
  const note = tag === 'a' ? noteNumber(attrs.href) : undefined;
  if (note !== undefined) {
    attrs.href = `#footnote-${note}`;
    attrs.id = `footnote-ref-${note}`;
  } else if (tag === 'a' && refNumber(attrs.href)) attrs.href = `#footnote-ref-${refNumber(attrs.href)}`;
  let children = (node.childNodes ?? []).flatMap((child) => toReaderNodes(child, depth + 1));
  if (CONTAINERS.has(tag)) {
    if (children.some((child) => READER_BLOCKS.has(child.tag))) return children;
    tag = 'p';
  }
  if (tag === 'ul' || tag === 'ol') children = listItems(children);
  return [{ tag, attrs, children }];
}

/**
 * A list's children as items: text written straight into <ul> (pages pasted from Word do that,
 * with "•" between the items) becomes items rather than being lost.
 */
function listItems(children) {
  const items = [];
  for (const child of children) {
    if (child.tag === 'li') items.push(child);
    else if (child.text !== undefined) {
      for (const part of child.text.split(/\s*[•●▪◦]\s*/)) if (part.trim() !== '') items.push({ tag: 'li', attrs: {}, children: [{ text: part.trim() }] });
    } else items.push({ tag: 'li', attrs: {}, children: [child] });
  }
  return items;
}

/** The text inside a node (iterative: the node may be nested arbitrarily deep), dropped elements left out. */
function textOf(node) {
  const parts = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current.nodeName === '#text') parts.push(current.value);
    else if (current === node || !DROPPED.has(current.tagName)) {
      const children = current.childNodes ?? [];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return parts.join('');
}

/** HTML text → { title, doc }, as fromMarkdown: `<title>` (else a leading h1) is the title. */
export function fromHtml(html, givenTitle) {
  if (typeof html !== 'string') throw new ImportError('content must be text');
  // eslint-disable-next-line no-control-regex
  const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.exec(html);
  if (binary) throw new ImportError(`not HTML text: it contains binary data (character U+${binary[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${binary.index})`);
  const document = parse(html);
  const root = document.childNodes.find((node) => node.tagName === 'html');
  const head = root?.childNodes.find((node) => node.tagName === 'head');
  const body = root?.childNodes.find((node) => node.tagName === 'body');
  const titleElement = head?.childNodes.find((node) => node.tagName === 'title');
  const pageTitle = titleElement ? textOf(titleElement).replace(/\s+/g, ' ').trim() : '';
  const tree = { tag: '#root', attrs: {}, children: body ? toReaderNodes(body) : [] };
  const given = typeof givenTitle === 'string' && givenTitle.trim() !== '' ? givenTitle : pageTitle;
  return contentFromHtmlTree(tree, given);
}

/** An HTML fragment (e.g. a table cell written as HTML in a text file) → block nodes. */
export function blocksFromHtmlFragment(html) {
  const fragment = parseFragment(html);
  const tree = { tag: '#root', attrs: {}, children: fragment.childNodes.flatMap((child) => toReaderNodes(child)) };
  return contentFromHtmlTree(tree, '\u0000no-title').doc.content.filter((block) => !(block.type === 'paragraph' && !block.content));
}

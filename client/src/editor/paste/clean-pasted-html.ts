/**
 * Cleans HTML pasted from Word (desktop and online) and Google Docs before ProseMirror parses it.
 *
 * Goal: keep the structure people meant (headings, lists, tables, links, bold/italic/underline/
 * strike, footnotes) and drop the presentation junk those editors add: Word's mso- styles and
 * Mso classes, <o:p> and other Office XML elements, conditional comments, empty spacing
 * paragraphs, Google Docs' `<b style="font-weight:normal" id="docs-internal-guid-…">` wrapper and
 * its per-run <span style="…">. Inline styles that carry meaning (font-weight:700, italic,
 * underline, line-through) become <strong>, <em>, <u>, <s>; everything else is discarded.
 *
 * It works on a DOM (DOMParser), so it runs in the browser; it is pure (string in, string out)
 * and does not depend on the editor.
 */
import { isAllowedLinkHref } from '../../../../shared/schema/links';

/** Elements removed together with their content. */
const DROPPED_ELEMENTS = new Set([
  'script', 'style', 'meta', 'link', 'title', 'head', 'xml', 'template', 'object', 'embed',
  'iframe', 'frame', 'frameset', 'noscript', 'canvas', 'audio', 'video', 'form', 'input',
  'button', 'select', 'textarea', 'colgroup', 'col',
]);

/** Elements replaced by their children (they only carry presentation). */
const UNWRAPPED_ELEMENTS = new Set(['span', 'font', 'center', 'small', 'big', 'abbr', 'acronym', 'bdi', 'bdo', 'ins', 'mark', 'label']);

/** Attributes kept, per element; every other attribute is removed. */
const KEPT_ATTRIBUTES: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
  ol: ['start'],
  sup: ['data-footnote', 'data-note'],
};

const WHITESPACE_ONLY = /^[\s\u00a0\u200b\ufeff]*$/;

export interface PasteSource {
  word: boolean;
  googleDocs: boolean;
}

/** Which editor the clipboard HTML comes from (it changes a few rules). */
export function detectPasteSource(html: string): PasteSource {
  return {
    word: /urn:schemas-microsoft-com:office|class=["']?Mso|mso-[a-z-]+\s*:|ProgId["']?\s+content=["']?Word\./i.test(html),
    googleDocs: /id=["']?docs-internal-guid-/i.test(html),
  };
}

/**
 * Returns the cleaned HTML. `parser` is injectable for tests; by default the browser's DOMParser.
 * HTML copied from a ProseMirror editor (Concord itself) is returned unchanged: it is already
 * clean and carries the slice information ProseMirror needs.
 */
export function cleanPastedHtml(html: string, parser: DOMParser = new DOMParser()): string {
  if (/data-pm-slice=/.test(html)) return html;
  const source = detectPasteSource(html);
  const doc = parser.parseFromString(html, 'text/html');
  const body = doc.body;

  removeWordFallbackContent(body, source);
  convertFootnotes(body);
  removeComments(body);
  removeHiddenElements(body);
  if (source.word) convertWordListParagraphs(body);
  unwrapGoogleDocsWrapper(body);
  fixMisnestedLists(body);
  normalizeHeadings(body);
  convertInlineStyles(body);
  cleanElements(body);
  convertHeaderRows(body);
  removeEmptyBlocks(body);
  return body.innerHTML.trim();
}

// ---------------------------------------------------------------------------------------------
// Word fallbacks and comments

/** Word marks list bullets, footnote separators etc. as content for "browsers without support":
 * `<!--[if !supportLists]-->·&nbsp;&nbsp;<!--[endif]-->`. The marker text is kept aside (it tells
 * whether a list is numbered) in a data attribute on the paragraph, and the content removed. */
function removeWordFallbackContent(root: HTMLElement, source: PasteSource): void {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const starts: Comment[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/^\s*\[if\s+!support/i.test((node as Comment).data)) starts.push(node as Comment);
  }
  for (const start of starts) {
    const parent = start.parentNode;
    if (!parent) continue;
    let marker = '';
    let node = start.nextSibling;
    while (node && !(node.nodeType === Node.COMMENT_NODE && /^\s*\[endif\]/i.test((node as Comment).data))) {
      const next = node.nextSibling;
      marker += node.textContent ?? '';
      parent.removeChild(node);
      node = next;
    }
    const block = parent instanceof Element ? parent.closest('p, h1, h2, h3, h4, h5, h6') : null;
    if (/supportLists/i.test(start.data) && block) {
      block.setAttribute('data-list-marker', marker.replace(/[\s\u00a0]+/g, ' ').trim());
    }
  }
  if (!source.word) return;
  // Newer Word versions mark the bullet run with `mso-list:Ignore` instead of comments.
  for (const span of Array.from(root.querySelectorAll<HTMLElement>('[style*="mso-list"]'))) {
    if (!/mso-list\s*:\s*ignore/i.test(span.getAttribute('style') ?? '')) continue;
    const block = span.closest('p, h1, h2, h3, h4, h5, h6');
    if (block && !block.hasAttribute('data-list-marker')) {
      block.setAttribute('data-list-marker', (span.textContent ?? '').replace(/[\s\u00a0]+/g, ' ').trim());
    }
    span.remove();
  }
}

function removeComments(root: HTMLElement): void {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) comments.push(node);
  for (const comment of comments) comment.parentNode?.removeChild(comment);
}

/** Hidden runs (Word field codes, bookmarks, `display:none`) would otherwise become visible text. */
function removeHiddenElements(root: HTMLElement): void {
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('[style]'))) {
    const style = element.getAttribute('style') ?? '';
    if (/display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden/i.test(style)) element.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Footnotes

/**
 * Word and Google Docs paste footnotes as a pair of anchors pointing at each other: the
 * reference in the text (`<a href="#_ftn1" name="_ftnref1">[1]</a>`, Google:
 * `<a href="#ftnt1" id="ftnt_ref1">[1]</a>`) and a back-link at the start of the note at the end
 * (`<a href="#_ftnref1" name="_ftn1">[1]</a> Note text`). Each pair becomes
 * `<sup data-footnote data-note="Note text">`, and the notes section is removed.
 */
function convertFootnotes(root: HTMLElement): void {
  const anchorsByName = new Map<string, HTMLAnchorElement>();
  const anchors = Array.from(root.querySelectorAll<HTMLAnchorElement>('a'));
  for (const anchor of anchors) {
    for (const key of [anchor.getAttribute('name'), anchor.getAttribute('id')]) {
      if (key) anchorsByName.set(key, anchor);
    }
  }
  const noteContainers = new Set<Element>();
  for (const reference of anchors) {
    const target = (reference.getAttribute('href') ?? '').match(/^#(.+)$/)?.[1];
    if (!target) continue;
    const note = anchorsByName.get(target);
    if (!note || note === reference || !reference.isConnected || !note.isConnected) continue;
    const backTarget = (note.getAttribute('href') ?? '').match(/^#(.+)$/)?.[1];
    const referenceKeys = [reference.getAttribute('name'), reference.getAttribute('id')];
    if (!backTarget || !referenceKeys.includes(backTarget)) continue;
    // The reference comes first in the document; the note is the back-link's block.
    if (!(reference.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
    const container = note.closest('p, li, div') ?? note.parentElement;
    if (!container) continue;
    const noteText = Array.from(container.childNodes)
      .filter((child) => child !== note && !(child instanceof Element && child.contains(note)))
      .map((child) => child.textContent ?? '')
      .join('')
      .replace(/[\s\u00a0]+/g, ' ')
      .trim();
    // A back-link nested in a span (Word wraps it) leaves the span's other text out: add it.
    const nestedText = note.parentElement && note.parentElement !== container
      ? (note.parentElement.textContent ?? '').replace(note.textContent ?? '', '').trim()
      : '';
    const text = `${nestedText} ${noteText}`.replace(/[\s\u00a0]+/g, ' ').trim();
    const footnote = root.ownerDocument.createElement('sup');
    footnote.setAttribute('data-footnote', '');
    footnote.setAttribute('data-note', text);
    // Replace the whole superscript wrapper around the reference, not just the anchor.
    let replaced: Element = reference;
    while (
      replaced.parentElement &&
      replaced.parentElement !== root &&
      /^(sup|span)$/i.test(replaced.parentElement.tagName) &&
      (replaced.parentElement.textContent ?? '').trim() === (reference.textContent ?? '').trim()
    ) {
      replaced = replaced.parentElement;
    }
    replaced.replaceWith(footnote);
    noteContainers.add(container);
  }
  for (const container of noteContainers) {
    const parent = container.parentElement;
    container.remove();
    // Remove the now-empty wrappers (Word: <div id=ftn1>, the footnote-list div; Google: <div>).
    let wrapper = parent;
    while (wrapper && wrapper !== root && (wrapper.textContent ?? '').trim() === '' && !wrapper.querySelector('table, img')) {
      const up: HTMLElement | null = wrapper.parentElement;
      wrapper.remove();
      wrapper = up;
    }
  }
  if (noteContainers.size > 0) removeTrailingSeparators(root);
}

/** The rule (and Word's `<br clear=all>`) that separated the notes from the text. */
function removeTrailingSeparators(root: HTMLElement): void {
  for (;;) {
    const last = lastMeaningfulChild(root);
    if (!last) return;
    if (last instanceof HTMLElement && (last.tagName === 'HR' || last.tagName === 'BR')) {
      last.remove();
      continue;
    }
    // Google Docs puts the rule inside its wrapper <b>.
    if (last instanceof HTMLElement && last.children.length > 0 && /^(B|DIV)$/.test(last.tagName)) {
      const inner = lastMeaningfulChild(last);
      if (inner instanceof HTMLElement && (inner.tagName === 'HR' || inner.tagName === 'BR')) {
        inner.remove();
        continue;
      }
    }
    return;
  }
}

function lastMeaningfulChild(element: Element): ChildNode | null {
  let child = element.lastChild;
  while (child && child.nodeType === Node.TEXT_NODE && WHITESPACE_ONLY.test(child.textContent ?? '')) {
    child = child.previousSibling;
  }
  return child;
}

// ---------------------------------------------------------------------------------------------
// Word lists

interface ListParagraph {
  element: HTMLElement;
  listId: string;
  level: number;
  ordered: boolean;
}

function readListParagraph(element: HTMLElement): ListParagraph | null {
  const style = element.getAttribute('style') ?? '';
  const match = /mso-list\s*:\s*(l\d+)\s+level(\d+)/i.exec(style);
  const classList = element.getAttribute('class') ?? '';
  if (!match && !/MsoListParagraph/i.test(classList)) return null;
  if (/mso-list\s*:\s*(none|ignore)/i.test(style)) return null;
  const marker = element.getAttribute('data-list-marker') ?? '';
  return {
    element,
    listId: match?.[1] ?? 'l0',
    level: Math.max(1, Math.min(9, Number(match?.[2] ?? 1))),
    // "1." "a)" "(iv)" "IV." are numbers; "·" "o" "§" "" "-" are bullets.
    ordered: /^\(?([0-9]{1,3}|[a-z]{1,2}|[ivxlcdm]{1,6})[.)]$/i.test(marker) || /^\(?[0-9]{1,3}\)?$/.test(marker),
  };
}

/**
 * Word desktop pastes lists as paragraphs (`<p class=MsoListParagraphCxSpFirst
 * style="mso-list:l0 level1 lfo1">`) with the bullet as text. Consecutive list paragraphs are
 * rebuilt into nested <ul>/<ol> by their level.
 */
function convertWordListParagraphs(root: HTMLElement): void {
  const doc = root.ownerDocument;
  const paragraphs = Array.from(root.querySelectorAll<HTMLElement>('p')).map(readListParagraph);
  const handled = new Set<HTMLElement>();
  for (const first of paragraphs) {
    if (!first || handled.has(first.element)) continue;
    // Collect the run of list paragraphs that follow each other as siblings.
    const run: ListParagraph[] = [];
    let node: ChildNode | null = first.element;
    while (node) {
      if (node.nodeType === Node.TEXT_NODE && WHITESPACE_ONLY.test(node.textContent ?? '')) {
        node = node.nextSibling;
        continue;
      }
      const item = node instanceof HTMLElement && node.tagName === 'P' ? readListParagraph(node) : null;
      if (!item) break;
      run.push(item);
      handled.add(item.element);
      node = node.nextSibling;
    }
    const stack: { level: number; ordered: boolean; list: HTMLElement }[] = [];
    let topList: HTMLElement | null = null;
    for (const item of run) {
      while (stack.length && stack[stack.length - 1].level > item.level) stack.pop();
      const top = stack[stack.length - 1];
      if (top && top.level === item.level && top.ordered !== item.ordered) stack.pop();
      let current = stack[stack.length - 1];
      if (!current || current.level < item.level) {
        const list = doc.createElement(item.ordered ? 'ol' : 'ul');
        const parentItem = current?.list.lastElementChild;
        if (current && parentItem) {
          parentItem.appendChild(list);
        } else if (!current) {
          // A second top-level list right after the first (different type) follows it.
          if (topList) topList.after(list);
          else first.element.before(list);
          topList = list;
        } else {
          current.list.appendChild(list);
        }
        current = { level: item.level, ordered: item.ordered, list };
        stack.push(current);
      }
      const listItem = doc.createElement('li');
      const paragraph = doc.createElement('p');
      while (item.element.firstChild) paragraph.appendChild(item.element.firstChild);
      listItem.appendChild(paragraph);
      current.list.appendChild(listItem);
      item.element.remove();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Google Docs and general structure

/** Google Docs wraps the whole clipboard in `<b style="font-weight:normal" id="docs-internal-guid-…">`. */
function unwrapGoogleDocsWrapper(root: HTMLElement): void {
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('b, strong'))) {
    const id = element.getAttribute('id') ?? '';
    const weight = readStyle(element, 'font-weight');
    if (id.startsWith('docs-internal-guid') || weight === 'normal' || weight === '400' || weight === 'lighter') {
      unwrap(element);
    }
  }
  // Google Docs separates some blocks with bare <br> at the top level.
  for (const child of Array.from(root.childNodes)) {
    if (child instanceof HTMLElement && child.tagName === 'BR') child.remove();
  }
}

/** Google Docs (and others) put nested lists directly in the parent list; HTML wants them in an item. */
function fixMisnestedLists(root: HTMLElement): void {
  for (const list of Array.from(root.querySelectorAll<HTMLElement>('ul > ul, ul > ol, ol > ul, ol > ol'))) {
    const previous = list.previousElementSibling;
    if (previous && previous.tagName === 'LI') previous.appendChild(list);
    else {
      const item = root.ownerDocument.createElement('li');
      list.replaceWith(item);
      item.appendChild(list);
    }
  }
}

/** Levels 4–6 become level 3 (documents use 1–3); Word's Title style and ARIA headings become headings. */
function normalizeHeadings(root: HTMLElement): void {
  const doc = root.ownerDocument;
  const rename = (element: Element, tag: string) => {
    const replacement = doc.createElement(tag);
    while (element.firstChild) replacement.appendChild(element.firstChild);
    for (const attribute of Array.from(element.attributes)) replacement.setAttribute(attribute.name, attribute.value);
    element.replaceWith(replacement);
    return replacement;
  };
  for (const element of Array.from(root.querySelectorAll('h4, h5, h6'))) rename(element, 'h3');
  for (const element of Array.from(root.querySelectorAll('p.MsoTitle'))) rename(element, 'h1');
  for (const element of Array.from(root.querySelectorAll('[role="heading"]'))) {
    const level = Math.max(1, Math.min(3, Number(element.getAttribute('aria-level') ?? 2) || 2));
    rename(element, `h${level}`);
  }
  // A heading inside a list item or a table cell is fine; a list marker left in a heading is not.
  for (const heading of Array.from(root.querySelectorAll('h1, h2, h3'))) heading.removeAttribute('data-list-marker');
}

function readStyle(element: Element, property: string): string {
  const style = element.getAttribute('style') ?? '';
  const match = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`, 'i').exec(style);
  return match ? match[1].trim().toLowerCase() : '';
}

/**
 * Inline styles that carry meaning become elements: Google Docs marks bold as
 * `<span style="font-weight:700">`, italic as `font-style:italic`, and so on.
 */
function convertInlineStyles(root: HTMLElement): void {
  const doc = root.ownerDocument;
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('span[style], font[style], a[style]'))) {
    const weight = readStyle(element, 'font-weight');
    const fontStyle = readStyle(element, 'font-style');
    const decoration = `${readStyle(element, 'text-decoration')} ${readStyle(element, 'text-decoration-line')}`;
    const wrappers: string[] = [];
    if (/^(bold|bolder|[6-9]00)$/.test(weight)) wrappers.push('strong');
    if (/italic|oblique/.test(fontStyle)) wrappers.push('em');
    // Links are underlined by their own style; an underline on link text is not emphasis.
    if (/underline/.test(decoration) && !element.closest('a') && !element.querySelector('a')) wrappers.push('u');
    if (/line-through/.test(decoration)) wrappers.push('s');
    if (wrappers.length === 0) continue;
    let innermost: HTMLElement | null = null;
    let outermost: HTMLElement | null = null;
    for (const tag of wrappers) {
      const wrapper = doc.createElement(tag);
      if (innermost) innermost.appendChild(wrapper);
      else outermost = wrapper;
      innermost = wrapper;
    }
    while (element.firstChild) innermost!.appendChild(element.firstChild);
    element.appendChild(outermost!);
  }
}

/** Drops junk elements, unwraps presentational ones, strips attributes, refuses unsafe links. */
function cleanElements(root: HTMLElement): void {
  // Deepest first, so unwrapping never skips a child.
  const elements = Array.from(root.querySelectorAll<HTMLElement>('*')).reverse();
  for (const element of elements) {
    const tag = element.tagName.toLowerCase();
    if (tag === 'o:p') {
      element.remove();
      continue;
    }
    if (DROPPED_ELEMENTS.has(tag)) {
      element.remove();
      continue;
    }
    if (tag.includes(':') || UNWRAPPED_ELEMENTS.has(tag)) {
      unwrap(element);
      continue;
    }
    if (tag === 'a') {
      const href = element.getAttribute('href');
      // Bookmarks, in-page anchors (Word's table of contents) and javascript:/data: links
      // keep their text but lose the link.
      if (!href || !isAllowedLinkHref(href)) {
        unwrap(element);
        continue;
      }
    }
    if (tag === 'sup' && !element.hasAttribute('data-footnote')) {
      // Superscript has no mark in the schema; ordinals like "1st" keep their text.
      unwrap(element);
      continue;
    }
    const kept = KEPT_ATTRIBUTES[tag] ?? [];
    for (const attribute of Array.from(element.attributes)) {
      if (!kept.includes(attribute.name)) element.removeAttribute(attribute.name);
    }
  }
}

/**
 * Header rows: a first row in <thead>, or (Word and Google Docs have no header markup) a first
 * row whose every cell is entirely bold, becomes header cells; the bold is then the header's own.
 */
function convertHeaderRows(root: HTMLElement): void {
  const doc = root.ownerDocument;
  const toHeader = (cell: Element) => {
    const header = doc.createElement('th');
    while (cell.firstChild) header.appendChild(cell.firstChild);
    for (const attribute of Array.from(cell.attributes)) header.setAttribute(attribute.name, attribute.value);
    cell.replaceWith(header);
    return header;
  };
  for (const cell of Array.from(root.querySelectorAll('thead td'))) toHeader(cell);
  for (const table of Array.from(root.querySelectorAll('table'))) {
    const firstRow = table.querySelector('tr');
    if (!firstRow || firstRow.closest('table') !== table || table.querySelector('th')) continue;
    const cells = Array.from(firstRow.children).filter((cell) => cell.tagName === 'TD');
    if (cells.length < 2 || table.querySelectorAll('tr').length < 2 || !cells.every(isEntirelyBold)) continue;
    for (const cell of cells) {
      const header = toHeader(cell);
      for (const bold of Array.from(header.querySelectorAll('b, strong'))) unwrap(bold);
    }
  }
}

/** Has text, and every non-blank text node is inside <b> or <strong>. */
function isEntirelyBold(cell: Element): boolean {
  const walker = cell.ownerDocument.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let sawText = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (WHITESPACE_ONLY.test(node.textContent ?? '')) continue;
    sawText = true;
    if (!node.parentElement?.closest('b, strong')) return false;
  }
  return sawText;
}

/**
 * Word adds `<p class=MsoNormal><o:p>&nbsp;</o:p></p>` for spacing; those empty paragraphs are
 * dropped. (Empty blocks inside table cells go too; the editor gives every cell a paragraph.)
 */
function removeEmptyBlocks(root: HTMLElement): void {
  const blocks = Array.from(root.querySelectorAll<HTMLElement>('p, h1, h2, h3, blockquote, div')).reverse();
  for (const block of blocks) {
    if (!WHITESPACE_ONLY.test(block.textContent ?? '')) continue;
    if (block.querySelector('img, table, hr, sup[data-footnote]')) continue;
    block.remove();
  }
  for (const list of Array.from(root.querySelectorAll<HTMLElement>('li')).reverse()) {
    if (WHITESPACE_ONLY.test(list.textContent ?? '') && !list.querySelector('sup[data-footnote]')) list.remove();
  }
  for (const list of Array.from(root.querySelectorAll<HTMLElement>('ul, ol')).reverse()) {
    if (!list.querySelector('li')) list.remove();
  }
}

function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  while (element.firstChild) parent.insertBefore(element.firstChild, element);
  parent.removeChild(element);
}

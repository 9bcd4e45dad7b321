/**
 * Shared by the Markdown and DOCX conversion tests: exporting and importing through the API,
 * reading a stored draft back as ProseMirror JSON, and normalising documents for comparison to
 * what a format can carry.
 */
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { isAllowedLinkHref } from '../../shared/schema/index';
import { addMember, api, authHeaders, type Auth, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/server';
import type { PMNode } from './samples';

/**
 * A server with an observer of the owner's group and someone who was a member and was removed
 * (signed in, but no longer in the group).
 */
export async function startConversionServer(): Promise<{ server: TestServer; observer: TestAccount; outsider: TestAccount }> {
  const server = await startTestServer();
  const observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Observer');
  const outsider = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Former member');
  const removed = await api(server.url, server.owner.auth, 'DELETE', `/api/groups/${server.owner.groupId}/members/${outsider.user.id}`);
  if (removed.status !== 204) throw new Error(`removing the former member answered ${removed.status}`);
  return { server, observer, outsider };
}

export async function download(server: { url: string }, auth: Auth, docId: string, format: 'md' | 'docx'): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${server.url}/api/documents/${docId}/export.${format}`, { headers: authHeaders(auth) });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** The stored content and title of a document, as a fresh reader sees it. */
export async function storedDraft(server: TestServer, docId: string): Promise<{ title: string; doc: PMNode }> {
  const content = await server.store.loadContent(docId);
  const doc = new Y.Doc();
  for (const update of [...(content.snapshot ? [content.snapshot] : []), ...content.updates]) Y.applyUpdate(doc, update);
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment('default')) as PMNode;
  const title = String(doc.getMap('meta').get('title') ?? '');
  doc.destroy();
  return { title, doc: json };
}

const MARKS = ['bold', 'italic', 'underline', 'strike', 'link'];

/** Same cleaning as the exporters: what a browser would request. */
function href(value: unknown): string | null {
  const raw = String(value ?? '');
  if (!isAllowedLinkHref(raw)) return null;
  // eslint-disable-next-line no-control-regex
  return raw.trim().replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s/g, (c) => encodeURIComponent(c));
}

function normaliseInline(nodes: PMNode[] = []): PMNode[] {
  const out: PMNode[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const text = (node.text ?? '').replace(/[\r\n]+/g, ' ');
      if (text === '') continue;
      const marks = (node.marks ?? [])
        .map((mark) => ({ ...mark, type: mark.type.split('--')[0] }))
        .filter((mark) => MARKS.includes(mark.type))
        .map((mark) => (mark.type === 'link' ? { type: 'link', attrs: { href: href(mark.attrs?.href) } } : { type: mark.type }))
        .filter((mark) => mark.type !== 'link' || mark.attrs?.href !== null)
        .sort((a, b) => MARKS.indexOf(a.type) - MARKS.indexOf(b.type));
      const last = out[out.length - 1];
      if (last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(marks)) last.text += text;
      else out.push(marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text });
    } else if (node.type === 'footnote') {
      const note = String(node.attrs?.note ?? '').replace(/\s+/g, ' ').trim();
      if (note !== '') out.push({ type: 'footnote', attrs: { note } });
    } else if (node.type === 'hardBreak') out.push({ type: 'hardBreak' });
    else out.push(...normaliseInline(node.content));
  }
  // White space at the edge of a marked run carries no marks (Markdown writes it outside them).
  const split = out.flatMap((node) => {
    if (node.type !== 'text' || !node.marks) return [node];
    const [, lead, core, trail] = /^(\s*)(.*?)(\s*)$/s.exec(node.text!)!;
    return [...(lead ? [{ type: 'text', text: lead }] : []), ...(core ? [{ ...node, text: core }] : []), ...(trail ? [{ type: 'text', text: trail }] : [])];
  });
  // …and white space between two runs with the same marks takes their marks.
  const marksOf = (node: PMNode | undefined) => JSON.stringify(node?.marks ?? []);
  const joined: PMNode[] = [];
  for (const node of split) {
    const last = joined[joined.length - 1];
    if (node.type === 'text' && last?.type === 'text' && marksOf(last) === marksOf(node)) last.text = (last.text ?? '') + (node.text ?? '');
    else joined.push({ ...node });
  }
  const merged: PMNode[] = [];
  for (let i = 0; i < joined.length; i++) {
    const node = joined[i];
    const last = merged[merged.length - 1];
    const next = joined[i + 1];
    if (node.type === 'text' && !node.marks && node.text!.trim() === '' && last?.type === 'text' && last.marks && next?.type === 'text' && marksOf(next) === marksOf(last)) {
      last.text += node.text! + next.text!;
      i++;
    } else if (node.type === 'text' && last?.type === 'text' && marksOf(last) === marksOf(node)) last.text = (last.text ?? '') + (node.text ?? '');
    else merged.push({ ...node });
  }
  return merged;
}

/** Paragraphs inside `nodes`, flattened (headings become paragraphs). */
function paragraphsOf(nodes: PMNode[] = []): PMNode[] {
  return nodes.flatMap((node) =>
    node.type === 'paragraph' || node.type === 'heading' ? [{ type: 'paragraph', content: node.content }] : paragraphsOf(node.content),
  );
}

export interface Carries {
  /**
   * 'gfm': table cells hold paragraphs only, the first row is the header, merged cells are split.
   * 'header-rows': header cells only in the leading rows made of header cells (Word's repeated header rows).
   */
  tables: 'gfm' | 'header-rows';
  /** Whether a numbered list keeps its start number. */
  listStart: boolean;
}

function normaliseBlocks(nodes: PMNode[] = [], carries: Carries): PMNode[] {
  const out: PMNode[] = [];
  for (const node of nodes) {
    const withContent = (type: string, content: PMNode[], attrs?: Record<string, unknown>): PMNode => ({
      type,
      ...(attrs ? { attrs } : {}),
      ...(content.length > 0 ? { content } : {}),
    });
    switch (node.type) {
      case 'paragraph': {
        const inline = normaliseInline(node.content);
        if (inline.length > 0) out.push(withContent('paragraph', inline));
        break;
      }
      case 'heading': {
        const inline = normaliseInline(node.content);
        if (inline.length > 0) out.push(withContent('heading', inline, { level: Math.min(3, Number(node.attrs?.level ?? 1)) }));
        break;
      }
      case 'horizontalRule':
        out.push({ type: 'horizontalRule' });
        break;
      case 'bulletList':
      case 'orderedList':
        out.push(
          withContent(
            node.type,
            (node.content ?? []).map((item) => withContent('listItem', normaliseBlocks(item.content, carries))),
            node.type === 'orderedList' ? { start: carries.listStart ? Number(node.attrs?.start ?? 1) : 1 } : undefined,
          ),
        );
        break;
      case 'blockquote':
        out.push(withContent('blockquote', normaliseBlocks(node.content, carries)));
        break;
      case 'table': {
        const gfm = carries.tables === 'gfm';
        let headerRows = 0;
        while (headerRows < (node.content ?? []).length && (node.content![headerRows].content ?? []).every((cell) => cell.type === 'tableHeader')) headerRows++;
        const rows = (node.content ?? []).map((row, r) =>
          (row.content ?? []).flatMap((cell) => {
            const type = (gfm ? r === 0 : r < headerRows) ? 'tableHeader' : 'tableCell';
            const content = gfm ? normaliseBlocks(paragraphsOf(cell.content), carries) : normaliseBlocks(cell.content, carries);
            const colspan = Number(cell.attrs?.colspan ?? 1);
            const rowspan = Number(cell.attrs?.rowspan ?? 1);
            const spans = { ...(colspan > 1 ? { colspan } : {}), ...(rowspan > 1 ? { rowspan } : {}) };
            const first = withContent(type, content, gfm || Object.keys(spans).length === 0 ? undefined : spans);
            return gfm ? [first, ...Array.from({ length: colspan - 1 }, () => ({ type }))] : [first];
          }),
        );
        if (gfm) {
          const width = Math.max(...rows.map((row) => row.length));
          rows.forEach((row, r) => {
            while (row.length < width) row.push({ type: r === 0 ? 'tableHeader' : 'tableCell' });
          });
        }
        out.push({ type: 'table', content: rows.map((cells) => ({ type: 'tableRow', content: cells })) });
        break;
      }
      default:
        out.push(...normaliseBlocks(node.content, carries));
    }
  }
  return out;
}

/** A document as a format carries it: only its structure, text, marks, links and footnotes. */
export function normalise(doc: PMNode, carries: Carries): PMNode {
  return { type: 'doc', content: normaliseBlocks(doc.content, carries) };
}

/**
 * Paragraphs of runs with random marks (bold, italic, strike, underline, links, combinations)
 * and random text around them: punctuation, white space, characters Markdown escapes, right-to-left
 * letters. The same paragraphs for the same seed (mulberry32).
 */
export function randomMarkedParagraphs(count: number, seed: number): PMNode[] {
  let state = seed;
  const random = (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const pieces = ['a', 'word', '(x)', '.', '"q"', ' ', '  ', 'b c', '*', '**', '_', '1.', '-', 'é', '“', ')', '!', '\\', '~', '<', '&', '[', 'ع'];
  const markSets: NonNullable<PMNode['marks']>[] = [
    [],
    [{ type: 'bold' }],
    [{ type: 'italic' }],
    [{ type: 'strike' }],
    [{ type: 'underline' }],
    [{ type: 'bold' }, { type: 'italic' }],
    [{ type: 'link', attrs: { href: 'https://example.org/x' } }],
    [{ type: 'link', attrs: { href: 'https://example.org/x' } }, { type: 'bold' }],
  ];
  return Array.from({ length: count }, () => ({
    type: 'paragraph',
    content: Array.from({ length: 1 + random(5) }, () => {
      const marks = markSets[random(markSets.length)];
      const text = Array.from({ length: 1 + random(3) }, () => pieces[random(pieces.length)]).join('');
      return marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text };
    }),
  }));
}

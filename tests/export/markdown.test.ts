/**
 * Markdown export (GET /api/documents/:id/export.md) and import (POST /api/documents/import)
 * with a real server: the working group's sample papers, a synthetic document with every node
 * type and hostile text go out and come back with the same structure; Markdown and HTML in the
 * text come out literally; who may export and import; bad uploads create nothing.
 */
import MarkdownIt from 'markdown-it';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schema, type MarkSpec, type NodeSpec } from '@tiptap/pm/model';
import { schemaSpec } from '../../server/src/export/converter';
import { IMPORT_MAX_CHARS, type DocumentSummary } from '../../shared/api/index';
import { getDocumentSchema } from '../../shared/schema/index';
import { api, type Auth, type TestAccount } from '../helpers/accounts';
import type { TestServer } from '../helpers/server';
import { download, normalise, randomMarkedParagraphs, startConversionServer, storedDraft } from './conversion-support';
import { hostileDraft, HOSTILE_LINES, sampleDraft, sampleFiles, syntheticDraft, type Draft, type PMNode } from './samples';
import { writeDraft } from './support';

let server: TestServer;
let observer: TestAccount;
let outsider: TestAccount;

beforeAll(async () => {
  ({ server, observer, outsider } = await startConversionServer());
});

afterAll(async () => {
  await server.stop();
});

const carries = { tables: 'gfm', listStart: true } as const;

async function exportMarkdown(docId: string, auth: Auth = server.owner.auth): Promise<string> {
  const response = await download(server, auth, docId, 'md');
  expect(response.status, response.body.toString()).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.md"; filename\*=UTF-8''.+\.md$/);
  return response.body.toString('utf8');
}

async function importMarkdown(content: string, options: { title?: string; auth?: Auth; groupId?: string } = {}) {
  return api<DocumentSummary & { error?: { code: string; message: string; fields?: { path: string; message: string }[] } }>(
    server.url,
    options.auth ?? server.owner.auth,
    'POST',
    '/api/documents/import',
    { groupId: options.groupId ?? server.owner.groupId, format: 'markdown', content, ...(options.title !== undefined ? { title: options.title } : {}) },
  );
}

async function documentCount(): Promise<number> {
  const listed = await api(server.url, server.owner.auth, 'GET', `/api/documents?groupId=${server.owner.groupId}`);
  return listed.body.documents.length;
}

/** Writes the draft with a real client, exports it, imports the Markdown: the same document comes back. */
async function roundTrip(draft: Draft): Promise<{ markdown: string; imported: { title: string; doc: PMNode } }> {
  const docId = await writeDraft(server, draft);
  const markdown = await exportMarkdown(docId);
  expect(markdown.startsWith(`# `)).toBe(true);
  const created = await importMarkdown(markdown);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.groupId).toBe(server.owner.groupId);
  const imported = await storedDraft(server, created.body.id);
  expect(imported.title).toBe(draft.title);
  expect(created.body.title).toBe(draft.title);
  expect(normalise(imported.doc, carries)).toEqual(normalise((await storedDraft(server, docId)).doc, carries));
  expect(normalise(imported.doc, carries)).toEqual(normalise(draft.doc, carries));
  return { markdown, imported };
}

describe('Markdown round trip', () => {
  it('keeps every node type of the synthetic document', async () => {
    const { markdown } = await roundTrip(syntheticDraft());
    expect(markdown).toContain('# Synthetic paper with every node type\n');
    expect(markdown).toContain('**bold**');
    expect(markdown).toContain('*italic*');
    expect(markdown).toContain('<u>underlined</u>');
    expect(markdown).toContain('~~struck~~');
    expect(markdown).toContain('[link to the IGF](<https://www.intgovforum.org/>)');
    expect(markdown).toContain('## Lists[^2]');
    expect(markdown).toContain('\n  1. Nested numbered item one.');
    expect(markdown).toContain('\n3. An ordered list starting at three.');
    expect(markdown).toContain('> The IGF is a space');
    expect(markdown).toContain('| Stakeholder group | Members | Remarks |\n| --- | --- | --- |');
    expect(markdown).toMatch(/\n\[\^1\]: The first footnote, at the foot of the page\.\n\[\^2\]: A note on a heading/);
  });

  for (const file of sampleFiles()) {
    it(`keeps the sample paper ${file}`, async () => {
      await roundTrip(sampleDraft(file));
    });
  }

  it('keeps marks next to punctuation, white space and escapes (600 random paragraphs)', async () => {
    const content = randomMarkedParagraphs(600, 0x5eed);
    await roundTrip({ title: 'Random marks', doc: { type: 'doc', content } });
  });

  it('keeps hostile text literally: Markdown and HTML in the text are never syntax', async () => {
    const lines = [
      ...HOSTILE_LINES,
      '<script>alert("x")</script> and <img src=x onerror=alert(1)>',
      '**not bold** __not bold__ ~~not struck~~ [not a link](https://example.org) ![no image](x.png)',
      '# not a heading',
      '> not a quote',
      '1. not a list',
      '2) nor this',
      '+ nor this',
      '---',
      '===',
      '| not | a table |',
      '[^1] is not a footnote and [^1]: neither is this',
      '&amp; &lt;b&gt; &#42; stay as typed',
      '    four spaces are not code',
      'trailing spaces   ',
      'back\\slash at the end\\',
    ];
    const draft: Draft = {
      title: '<script>alert(1)</script> **Title** # [x](y)',
      doc: {
        type: 'doc',
        content: [
          ...lines.map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
          ...hostileDraft().doc.content!,
          {
            type: 'bulletList',
            content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '- [ ] <b>not</b> *a* task' }] }] }],
          },
        ],
      },
    };
    const { markdown, imported } = await roundTrip(draft);
    // Any CommonMark reader shows it as text: no tag, emphasis or link comes out of it.
    const html = new MarkdownIt({ html: true }).render(markdown);
    expect(html).not.toMatch(/<script|<img|<strong>not|<em>a<\/em>|<a href="https:\/\/example.org">|<blockquote>|<ol/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const texts = JSON.stringify(imported.doc);
    for (const line of lines) expect(texts).toContain(JSON.stringify(line).slice(1, -1));
  });
});

describe('Markdown import', () => {
  it('reads hand-written Markdown: headings, lists, quotes, tables, footnotes, links, raw HTML as text', async () => {
    const created = await importMarkdown(
      [
        '# Options paper',
        '',
        'Intro with *emphasis*, __strong__, ~~gone~~, <u>under</u>, `code`, a [link](https://igf.org/a "t") and a [bad link](javascript:alert(1)).[^a]',
        '',
        '#### Deep heading',
        '',
        '* one',
        '* two',
        '  1. two.one',
        '',
        '> quoted',
        '',
        '| A | B |',
        '|---|:-:|',
        '| 1 | 2 |',
        '| 3 |',
        '',
        '<script>alert(1)</script>',
        '',
        '```',
        'code block',
        '```',
        '',
        '***',
        '',
        '[^a]: The *note*.',
      ].join('\n'),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.title).toBe('Options paper');
    const { doc } = await storedDraft(server, created.body.id);
    expect(normalise(doc, carries)).toEqual({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Intro with ' },
            { type: 'text', text: 'emphasis', marks: [{ type: 'italic' }] },
            { type: 'text', text: ', ' },
            { type: 'text', text: 'strong', marks: [{ type: 'bold' }] },
            { type: 'text', text: ', ' },
            { type: 'text', text: 'gone', marks: [{ type: 'strike' }] },
            { type: 'text', text: ', ' },
            { type: 'text', text: 'under', marks: [{ type: 'underline' }] },
            { type: 'text', text: ', code, a ' },
            { type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://igf.org/a' } }] },
            { type: 'text', text: ' and a bad link.' },
            { type: 'footnote', attrs: { note: 'The note.' } },
          ],
        },
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Deep heading' }] },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
            {
              type: 'listItem',
              content: [
                { type: 'paragraph', content: [{ type: 'text', text: 'two' }] },
                { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two.one' }] }] }] },
              ],
            },
          ],
        },
        { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'quoted' }] }] },
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: ['A', 'B'].map((text) => ({ type: 'tableHeader', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })) },
            { type: 'tableRow', content: ['1', '2'].map((text) => ({ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })) },
            { type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: '3' }] }] }, { type: 'tableCell' }] },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script>' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'code block' }] },
        { type: 'horizontalRule' },
      ],
    });
  });

  it('takes the given title and keeps a first heading that differs from it', async () => {
    const created = await importMarkdown('# Heading\n\nText.', { title: 'Given title' });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe('Given title');
    const { doc, title } = await storedDraft(server, created.body.id);
    expect(title).toBe('Given title');
    expect(doc.content![0]).toMatchObject({ type: 'heading', attrs: { level: 1 } });
  });

  it('names a draft without a title heading "Untitled draft"', async () => {
    const created = await importMarkdown('Just a paragraph.');
    expect(created.status).toBe(201);
    expect(created.body.title).toBe('Untitled draft');
  });
});

describe('the conversion worker', () => {
  it('checks imports against the same schema as the editor (built from the shared specs as data)', () => {
    const spec = schemaSpec();
    const rebuilt = new Schema({
      nodes: Object.fromEntries(spec.nodes) as Record<string, NodeSpec>,
      marks: Object.fromEntries(spec.marks) as Record<string, MarkSpec>,
      topNode: spec.topNode,
    });
    const attrs = (specAttrs: Record<string, { default?: unknown }> | undefined) =>
      Object.entries(specAttrs ?? {}).map(([name, attr]) => [name, 'default' in attr ? attr.default : '(required)']);
    const shape = (schema: Schema) => ({
      top: schema.topNodeType.name,
      nodes: Object.values(schema.nodes).map((type) => [type.name, type.spec.content ?? '', type.spec.group ?? '', type.isInline, type.spec.marks ?? null, attrs(type.spec.attrs)]),
      marks: Object.values(schema.marks).map((type) => [type.name, type.spec.excludes ?? null, attrs(type.spec.attrs)]),
    });
    expect(shape(rebuilt)).toEqual(shape(getDocumentSchema()));
  });
});

describe('large documents', () => {
  it('a ~0.9 MB import is converted off the editing loop', async () => {
    const parts: string[] = [];
    for (const file of sampleFiles()) parts.push(await exportMarkdown(await writeDraft(server, sampleDraft(file))));
    let markdown = '# A long paper\n\n';
    while (markdown.length < 900_000) markdown += parts.map((part) => part.replace(/^# .*\n/, '')).join('\n\n');
    markdown = markdown.slice(0, 900_000).replace(/\n[^\n]*$/, '\n');
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const created = await importMarkdown(markdown);
    const took = performance.now() - started;
    delay.disable();
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    expect(created.body.title).toBe('A long paper');
    const worst = delay.max / 1e6;
    console.log(`import of ${markdown.length} characters: ${Math.round(took)} ms; longest event-loop stall ${worst.toFixed(1)} ms`);
    // Parsing, checking and encoding (≈ 0.4 s for this size) happen on the worker thread, so the editing loop
    // never stalls for most of the import. Measured against the import's own duration, not a fixed budget: on a
    // machine busy with other work both stretch, but on the main thread the stall would be nearly all of it.
    expect(worst).toBeLessThan(Math.max(150, took / 3));
    const { doc } = await storedDraft(server, created.body.id);
    expect(doc.content!.length).toBeGreaterThan(1000);
    // And back out again, also off the loop.
    const exported = await exportMarkdown(created.body.id);
    expect(exported.length).toBeGreaterThan(800_000);
  });
});

describe('who may export and import', () => {
  it('an observer exports but may not import', async () => {
    const docId = await writeDraft(server, syntheticDraft());
    expect(await exportMarkdown(docId, observer.auth)).toContain('# Synthetic paper');
    const before = await documentCount();
    const refused = await importMarkdown('# Hello', { auth: observer.auth });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('forbidden');
    expect(await documentCount()).toBe(before);
  });

  it('a non-member may do neither', async () => {
    const docId = await writeDraft(server, syntheticDraft());
    const exported = await download(server, outsider.auth, docId, 'md');
    expect(exported.status).toBe(403);
    expect(JSON.parse(exported.body.toString()).error.code).toBe('no_access');
    const before = await documentCount();
    const refused = await importMarkdown('# Hello', { auth: outsider.auth });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('no_access');
    expect(await documentCount()).toBe(before);
  });

  it('an unknown document is 404, a malformed id 400, without credentials 401', async () => {
    expect((await download(server, server.owner.auth, 'x'.repeat(5), 'md')).status).toBe(400);
    const docId = await writeDraft(server, syntheticDraft());
    expect((await download(server, {}, docId, 'md')).status).toBe(401);
  });
});

describe('bad uploads create nothing', () => {
  it('binary data is not Markdown: 400 naming the content', async () => {
    const before = await documentCount();
    const refused = await importMarkdown('%PDF-1.7\n\u0000\u0001\u0002binary');
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('invalid_content');
    expect(refused.body.error?.fields?.[0]?.path).toBe('content');
    expect(refused.body.error?.message).toMatch(/not Markdown text/);
    expect(await documentCount()).toBe(before);
  });

  it('missing or wrong fields: 400 naming each field and why', async () => {
    const before = await documentCount();
    const wrong = await api(server.url, server.owner.auth, 'POST', '/api/documents/import', { groupId: server.owner.groupId, format: 'pdf', content: '' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['content', 'format']);
    const extra = await api(server.url, server.owner.auth, 'POST', '/api/documents/import', { groupId: server.owner.groupId, format: 'markdown', content: 'x', owner: 'me' });
    expect(extra.status).toBe(400);
    expect(await documentCount()).toBe(before);
  });

  it('too large: 413 with a reason', async () => {
    const before = await documentCount();
    const tooLarge = await importMarkdown('a'.repeat(IMPORT_MAX_CHARS + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error?.code).toBe('too_large');
    expect(tooLarge.body.error?.message).toMatch(/too large/);
    expect(await documentCount()).toBe(before);
  });
});

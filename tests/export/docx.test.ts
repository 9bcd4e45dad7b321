/**
 * DOCX export (GET /api/documents/:id/export.docx) and import (POST /api/documents/import with
 * format 'docx') with a real server: the working group's sample papers, a synthetic document with
 * every node type and hostile text go out and come back with the same structure; the Word file has
 * real heading styles, numbering, header rows, footnotes and hyperlinks; who may export and import;
 * corrupt or oversized uploads create nothing.
 */
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_MAX_CHARS, type DocumentSummary } from '../../shared/api/index';
import { api, type Auth, type TestAccount } from '../helpers/accounts';
import type { TestServer } from '../helpers/server';
import { download, normalise, randomMarkedParagraphs, startConversionServer, storedDraft } from './conversion-support';
import { hostileDraft, HOSTILE_LINES, sampleDraft, sampleFiles, syntheticDraft, type Draft } from './samples';
import { writeDraft } from './support';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let server: TestServer;
let observer: TestAccount;
let outsider: TestAccount;

beforeAll(async () => {
  ({ server, observer, outsider } = await startConversionServer());
});

afterAll(async () => {
  await server.stop();
});

/** What Word files carry (see server/src/export/docx.mjs): not a numbered list's start, nor header cells outside header rows. */
const carries = { tables: 'header-rows', listStart: false } as const;

/** The files in a ZIP archive (stored or deflated), by name. */
function unzip(zip: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let entry = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(entry + 10);
    const compressed = zip.readUInt32LE(entry + 20);
    const nameLength = zip.readUInt16LE(entry + 28);
    const extra = zip.readUInt16LE(entry + 30);
    const comment = zip.readUInt16LE(entry + 32);
    const local = zip.readUInt32LE(entry + 42);
    const name = zip.toString('utf8', entry + 46, entry + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    entry += 46 + nameLength + extra + comment;
  }
  return files;
}

async function exportDocx(docId: string, auth: Auth = server.owner.auth): Promise<Buffer> {
  const response = await download(server, auth, docId, 'docx');
  expect(response.status, response.body.toString()).toBe(200);
  expect(response.headers.get('content-type')).toBe(DOCX_TYPE);
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.docx"; filename\*=UTF-8''.+\.docx$/);
  expect(response.body.subarray(0, 2).toString()).toBe('PK');
  return response.body;
}

async function importDocx(content: string, options: { title?: string; auth?: Auth } = {}) {
  return api<DocumentSummary & { error?: { code: string; message: string; fields?: { path: string; message: string }[] } }>(
    server.url,
    options.auth ?? server.owner.auth,
    'POST',
    '/api/documents/import',
    { groupId: server.owner.groupId, format: 'docx', content, ...(options.title !== undefined ? { title: options.title } : {}) },
  );
}

async function documentCount(): Promise<number> {
  const listed = await api(server.url, server.owner.auth, 'GET', `/api/documents?groupId=${server.owner.groupId}`);
  return listed.body.documents.length;
}

async function roundTrip(draft: Draft): Promise<{ docx: Buffer; imported: Awaited<ReturnType<typeof storedDraft>> }> {
  const docId = await writeDraft(server, draft);
  const docx = await exportDocx(docId);
  const created = await importDocx(docx.toString('base64'));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const imported = await storedDraft(server, created.body.id);
  expect(imported.title).toBe(draft.title);
  expect(created.body.title).toBe(draft.title);
  expect(normalise(imported.doc, carries)).toEqual(normalise(draft.doc, carries));
  return { docx, imported };
}

describe('DOCX round trip', () => {
  it('keeps every node type of the synthetic document, in real Word structures', async () => {
    const draft = syntheticDraft();
    const { docx } = await roundTrip(draft);
    const files = unzip(docx);
    const body = files.get('word/document.xml')!;
    // Title and heading styles, by style id.
    expect(body).toContain('<w:pStyle w:val="Title"/>');
    for (const level of [1, 2, 3]) expect(body).toContain(`<w:pStyle w:val="Heading${level}"/>`);
    // Word's built-in styles (names are matched without regard to case).
    for (const level of [1, 2, 3]) expect(files.get('word/styles.xml')).toMatch(new RegExp(`w:styleId="Heading${level}"><w:name w:val="heading ${level}"/>`, 'i'));
    // Lists are Word numbering; the numbered list starting at 3 says so.
    expect(body).toContain('<w:numPr>');
    expect(files.get('word/numbering.xml')).toContain('<w:start w:val="3"/>');
    expect(files.get('word/numbering.xml')).toContain('<w:numFmt w:val="bullet"/>');
    // The table's header row repeats on every page.
    expect(body).toContain('<w:tblHeader/>');
    expect(body).toContain('<w:gridSpan w:val="3"/>');
    // Real footnotes, and hyperlinks with their targets as relationships.
    expect(body.match(/<w:footnoteReference w:id="\d+"\/>/g)).toHaveLength(3);
    expect(files.get('word/footnotes.xml')).toContain('The first footnote, at the foot of the page.');
    expect(body).toContain('<w:hyperlink');
    expect(files.get('word/_rels/document.xml.rels')).toContain('Target="https://www.intgovforum.org/" TargetMode="External"');
  });

  for (const file of sampleFiles()) {
    it(`keeps the sample paper ${file}`, async () => {
      await roundTrip(sampleDraft(file));
    });
  }

  it('keeps marks next to punctuation, white space and special characters (600 random paragraphs)', async () => {
    await roundTrip({ title: 'Random marks', doc: { type: 'doc', content: randomMarkedParagraphs(600, 0xd0c) } });
  });

  it('keeps hostile text literally', async () => {
    const lines = [...HOSTILE_LINES, '<script>alert("x")</script> <w:t>xml</w:t> ]]> &amp; **not bold**', '# not a heading'];
    const draft: Draft = {
      title: '<script>alert(1)</script> & <w:p/>',
      doc: { type: 'doc', content: [...lines.map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })), ...hostileDraft().doc.content!] },
    };
    const { docx, imported } = await roundTrip(draft);
    const body = unzip(docx).get('word/document.xml')!;
    expect(body).not.toContain('<script');
    expect(body).toContain('&lt;script&gt;');
    const texts = JSON.stringify(imported.doc);
    for (const line of lines) expect(texts).toContain(JSON.stringify(line).slice(1, -1));
  });
});

describe('who may export and import', () => {
  it('an observer exports but may not import', async () => {
    const docId = await writeDraft(server, syntheticDraft());
    const docx = await exportDocx(docId, observer.auth);
    const before = await documentCount();
    const refused = await importDocx(docx.toString('base64'), { auth: observer.auth });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('forbidden');
    expect(await documentCount()).toBe(before);
  });

  it('a non-member may do neither', async () => {
    const docId = await writeDraft(server, syntheticDraft());
    const exported = await download(server, outsider.auth, docId, 'docx');
    expect(exported.status).toBe(403);
    const before = await documentCount();
    const refused = await importDocx(Buffer.from('PK').toString('base64'), { auth: outsider.auth });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('no_access');
    expect(await documentCount()).toBe(before);
  });
});

describe('bad uploads create nothing', () => {
  it('not base64, not a ZIP, a corrupt DOCX: 400 with the reason', async () => {
    const docId = await writeDraft(server, syntheticDraft());
    const docx = await exportDocx(docId);
    const before = await documentCount();
    const cases: [string, RegExp][] = [
      ['this is not base64 at all!', /not base64/],
      [Buffer.from('# Just Markdown\n\nText.').toString('base64'), /not a DOCX file/],
      [docx.subarray(0, Math.floor(docx.length / 2)).toString('base64'), /not a readable DOCX file/],
    ];
    for (const [content, reason] of cases) {
      const refused = await importDocx(content);
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      expect(refused.body.error?.code).toBe('invalid_content');
      expect(refused.body.error?.fields?.[0]?.path).toBe('content');
      expect(refused.body.error?.message).toMatch(reason);
    }
    expect(await documentCount()).toBe(before);
  });

  it('too large: 413 with a reason', async () => {
    const before = await documentCount();
    const tooLarge = await importDocx('A'.repeat(IMPORT_MAX_CHARS + 4));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error?.code).toBe('too_large');
    expect(await documentCount()).toBe(before);
  });
});

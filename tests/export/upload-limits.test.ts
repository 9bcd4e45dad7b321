/**
 * Importing large files: a Word file over the 1 MiB the rest of the API accepts imports whole; a file that unzips to far more than it weighs (a "zip bomb") fails with
 * 413 once the conversion process reaches its memory bound (with the unzipped limit lifted: by default it is refused before that, see
 * import-bounds.test.ts), and the next import works.
 */
import { Document, Packer, Paragraph } from 'docx';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_IMPORT_LIMITS, IMPORT_MAX_FILE_BYTES, type DocumentSummary } from '../../shared/api/index';
import { DocumentConverter } from '../../server/src/export/index';
import { ApiError } from '../../server/src/http/index';
import { api } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/server';
import { prng } from '../helpers/random';
import { storedDraft } from './conversion-support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

/** A ZIP archive of the given files, deflated. */
function zip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const compressed = deflateRawSync(data, { level: 9 });
    const nameBytes = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(compressed.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += header.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** A valid Word file whose document.xml holds `paragraphs` copies of one paragraph: tiny zipped, huge unzipped. */
function zipBomb(paragraphs: number): Buffer {
  const paragraph = '<w:p><w:r><w:t>The IGF should strengthen its intersessional work.</w:t></w:r></w:p>';
  const body = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'),
    Buffer.from(paragraph.repeat(paragraphs)),
    Buffer.from('</w:body></w:document>'),
  ]);
  return zip({ '[Content_Types].xml': Buffer.from(CONTENT_TYPES), '_rels/.rels': Buffer.from(RELS), 'word/document.xml': body });
}

it('imports a Word file of over a megabyte whole', async () => {
  const random = prng(7);
  const words = ['forum', 'policy', 'network', 'coalition', 'mandate', 'stakeholder', 'outcome', 'dialogue', 'capacity', 'regional'];
  // Random sentences with numbers compress poorly, so the file is megabytes, not kilobytes.
  const paragraphs = Array.from({ length: 6000 }, (_, i) =>
    `${i + 1}. ` + Array.from({ length: 60 }, () => `${words[Math.floor(random() * words.length)]}${Math.floor(random() * 100000)}`).join(' '),
  );
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph(text)) }] }));
  expect(docx.length).toBeGreaterThan(1.2 * 2 ** 20);
  expect(docx.length).toBeLessThan(IMPORT_MAX_FILE_BYTES);

  const response = await api(server.url, server.owner.auth, 'POST', '/api/documents/import', {
    groupId: server.owner.groupId,
    format: 'docx',
    content: docx.toString('base64'),
    title: 'Large contribution',
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const stored = await storedDraft(server, (response.body as DocumentSummary).id);
  const texts = (stored.doc.content ?? []).filter((block) => block.type === 'paragraph').map((block) => (block.content ?? []).map((inline) => inline.text ?? '').join(''));
  expect(texts).toEqual(paragraphs);
}, 120_000);

it('a file that unzips to far more than it weighs fails with 413 at the memory bound; the next import works', async () => {
  // The unzipped limit (IMPORT_MAX_UNZIPPED_BYTES, import-bounds.test.ts) refuses such a file before
  // it is inflated; lifted here, the conversion process's heap is the bound that still holds.
  const converter = new DocumentConverter(
    { store: server.store, registry: server.server.registry, onWorkerLog: () => {} },
    { maxHeapMb: 64, import: { ...DEFAULT_IMPORT_LIMITS, maxUnzippedBytes: 2 ** 30 } },
  );
  try {
    const bomb = zipBomb(1_500_000); // ≈ 120 MB of XML in a file of a few hundred kilobytes
    expect(bomb.length).toBeLessThan(2 ** 20);
    const error = await converter.importDocument('docx', bomb.toString('base64')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, code: 'too_large' });
    expect((error as Error).message).toMatch(/more memory than the server allows/);

    const small = await converter.importDocument('docx', zipBomb(3).toString('base64'), 'Small');
    expect(small.title).toBe('Small');
  } finally {
    await converter.close();
  }
}, 120_000);

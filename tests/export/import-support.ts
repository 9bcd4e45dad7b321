/**
 * Building Word files byte by byte for the import tests: ZIP archives whose directory may say
 * anything (sizes, counts, methods), minimal valid .docx files around a body of WordprocessingML,
 * and zip bombs; plus counting a group's documents (a refused import must store nothing).
 */
import { Deflate, deflateSync, strToU8 } from 'fflate';
import { crc32 } from 'node:zlib';
import type { TestServer } from '../helpers/server';

export interface ZipEntry {
  name: string;
  /** The entry's real (uncompressed) bytes. */
  data: Uint8Array;
  /** 8 (deflate, default) or 0 (stored); anything else is written as is. */
  method?: number;
  /** Already compressed bytes (else `data` deflated or stored by `method`). */
  compressed?: Uint8Array;
  /** What the headers declare (default: the truth). */
  declaredSize?: number;
  declaredCompressedSize?: number;
  crc?: number;
  flags?: number;
}

/** A ZIP archive of `entries`, written exactly as told: local headers, data, central directory, end record. */
export function buildZip(entries: ZipEntry[], options: { declaredCount?: number; comment?: Uint8Array } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const compressed = entry.compressed ?? (method === 8 ? deflateSync(entry.data, { level: 6 }) : entry.data);
    const name = strToU8(entry.name);
    const crc = entry.crc ?? crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const compressedSize = entry.declaredCompressedSize ?? compressed.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(method & 0xffff, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressedSize >>> 0, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(method & 0xffff, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressedSize >>> 0, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, compressed);
    directory.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const comment = options.comment ?? new Uint8Array(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = options.declaredCount ?? entries.length;
  end.writeUInt16LE(count & 0xffff, 8);
  end.writeUInt16LE(count & 0xffff, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return new Uint8Array(Buffer.concat([...parts, directoryBytes, end, comment]));
}

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

export const documentXml = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W_NS}"><w:body>${body}</w:body></w:document>`;

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const wParagraph = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;

/** The parts of a minimal Word file whose body is `body` (WordprocessingML inside <w:body>). */
export function docxEntries(body: string): ZipEntry[] {
  return [
    { name: '[Content_Types].xml', data: strToU8(CONTENT_TYPES) },
    { name: '_rels/.rels', data: strToU8(RELS) },
    { name: 'word/document.xml', data: strToU8(documentXml(body)) },
  ];
}

export const minimalDocx = (body: string): Uint8Array => buildZip(docxEntries(body));

/**
 * A valid Word file whose document.xml is `megabytes` MiB of one paragraph repeated: a few
 * hundred kilobytes zipped. `lie`: its headers declare document.xml as 1 KiB.
 */
export function zipBomb(megabytes: number, options: { lie?: boolean } = {}): Uint8Array {
  const head = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W_NS}"><w:body>`);
  const tail = strToU8('</w:body></w:document>');
  const paragraph = wParagraph('The IGF should strengthen its intersessional work. ');
  const chunk = strToU8(paragraph.repeat(Math.ceil(2 ** 20 / paragraph.length)));
  const compressed: Uint8Array[] = [];
  const deflate = new Deflate({ level: 9 }, (data) => compressed.push(data));
  let crc = crc32(head);
  let size = head.length;
  deflate.push(head);
  for (let i = 0; i < megabytes; i++) {
    deflate.push(chunk);
    crc = crc32(chunk, crc);
    size += chunk.length;
  }
  deflate.push(tail, true);
  crc = crc32(tail, crc);
  size += tail.length;
  const bytes = Buffer.concat(compressed);
  const [types, rels] = docxEntries('');
  return buildZip([
    types,
    rels,
    { name: 'word/document.xml', data: new Uint8Array(0), compressed: bytes, crc, declaredSize: options.lie ? 1024 : size },
  ]);
}

/** Documents of the test server's group, archived or not: a refused import must leave the count as it was. */
export async function documentCount(server: TestServer): Promise<number> {
  const groupIds = [server.owner.groupId];
  return (await server.store.listDocuments({ archived: false, groupIds })).length + (await server.store.listDocuments({ archived: true, groupIds })).length;
}

// Reading a Word file's ZIP archive within bounds, on the conversion worker, before mammoth sees
// it (mammoth unzips with jszip, which trusts the archive: a 400 KB file that inflates to 400 MB
// would be inflated whole). Plain JavaScript, like the rest of the worker.
//
// 1. The central directory is read first: more entries than `maxZipEntries`, or declared sizes
//    that add up to more than `maxUnzippedBytes`, are refused before anything is inflated.
// 2. The parts mammoth reads (XML and relationships; not images or embedded files) are inflated
//    with fflate's streaming inflater, 16 KiB of input at a time, counting what comes out: the
//    declared sizes can lie, so inflating stops as soon as the total passes the limit.
// 3. Their XML nesting is measured (mammoth reads XML recursively: very deep nesting would run
//    it out of stack).
// What mammoth then gets is a new archive of only those parts, stored (not compressed), built
// here: every size in it is true.
import { Inflate, zipSync } from 'fflate';
import { ImportError } from './markdown.mjs';
import { LimitError } from './limits.mjs';

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const INPUT_CHUNK = 16 * 1024;

const mib = (bytes) => (bytes % 2 ** 20 === 0 ? String(bytes / 2 ** 20) : (bytes / 2 ** 20).toFixed(1));
const damaged = (why) => new ImportError(`not a readable DOCX file: ${why}`);

/** The parts mammoth reads: XML (the document, styles, numbering, notes, content types) and relationships. */
const isReadPart = (name) => /\.(xml|rels)$/i.test(name);

/** The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment may be up to 64 KiB). */
function findEnd(view) {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  }
  throw damaged('the ZIP archive has no central directory (truncated?)');
}

/** The central directory's entries, checked for count and declared total size before anything else. */
function readDirectory(bytes, limits) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  const disk = view.getUint16(end + 4, true);
  const directoryDisk = view.getUint16(end + 6, true);
  const entriesOnDisk = view.getUint16(end + 8, true);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count) throw damaged('archives split over several files are not supported');
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw damaged('ZIP64 archives are not supported');
  if (count > limits.maxZipEntries) {
    throw new LimitError(`the Word file has ${count.toLocaleString('en-US')} files in its archive; the limit is ${limits.maxZipEntries.toLocaleString('en-US')} (IMPORT_MAX_ZIP_ENTRIES)`);
  }
  if (offset + size > end) throw damaged('the central directory lies outside the file');
  const entries = [];
  let declared = 0;
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > offset + size || view.getUint32(at, true) !== DIRECTORY_ENTRY) throw damaged('the central directory is damaged');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > offset + size) throw damaged('the central directory is damaged');
    const entry = {
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) throw damaged('ZIP64 archives are not supported');
    declared += entry.size;
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (declared > limits.maxUnzippedBytes) {
    throw new LimitError(
      `the Word file would unzip to ${mib(declared)} MiB; the limit is ${mib(limits.maxUnzippedBytes)} MiB unzipped (IMPORT_MAX_UNZIPPED_BYTES)`,
    );
  }
  return entries;
}

/** An entry's compressed bytes, found through its local header. */
function dataOf(bytes, view, entry) {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) throw damaged(`the entry ${entry.name} is damaged`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw damaged(`the entry ${entry.name} runs past the end of the file`);
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * The parts of a .docx file (its bytes) that mammoth reads, inflated within `limits`
 * ({ maxZipEntries, maxUnzippedBytes }): { [name]: Uint8Array }. Throws LimitError (413) or
 * ImportError (400, a damaged or unsupported archive).
 */
export function readDocxParts(bytes, limits) {
  const entries = readDirectory(bytes, limits);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = {};
  let total = 0;
  const overLimit = () =>
    new LimitError(`the Word file unzips to more than ${mib(limits.maxUnzippedBytes)} MiB; the limit is ${mib(limits.maxUnzippedBytes)} MiB unzipped (IMPORT_MAX_UNZIPPED_BYTES)`);
  for (const entry of entries) {
    if (!isReadPart(entry.name) || entry.name.endsWith('/')) continue;
    if (entry.flags & 0x1) throw damaged(`the entry ${entry.name} is encrypted`);
    if (Object.hasOwn(parts, entry.name)) throw damaged(`the archive holds ${entry.name} twice`);
    const data = dataOf(bytes, view, entry);
    if (entry.method === 0) {
      total += data.length;
      if (total > limits.maxUnzippedBytes) throw overLimit();
      parts[entry.name] = data;
      continue;
    }
    if (entry.method !== 8) throw damaged(`the entry ${entry.name} uses an unsupported compression method (${entry.method})`);
    const chunks = [];
    const inflater = new Inflate((chunk) => {
      total += chunk.length;
      if (total > limits.maxUnzippedBytes) throw overLimit();
      if (chunk.length > 0) chunks.push(chunk);
    });
    try {
      for (let at = 0; ; at += INPUT_CHUNK) {
        const last = at + INPUT_CHUNK >= data.length;
        inflater.push(data.subarray(at, Math.min(at + INPUT_CHUNK, data.length)), last);
        if (last) break;
      }
    } catch (error) {
      if (error instanceof LimitError) throw error;
      throw damaged(`the entry ${entry.name} does not inflate (${error instanceof Error ? error.message : String(error)})`);
    }
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const part = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      part.set(chunk, offset);
      offset += chunk.length;
    }
    parts[entry.name] = part;
  }
  return parts;
}

/**
 * How deep the XML in `bytes` nests (elements inside elements), stopping once past `limit`.
 * Comments, CDATA, processing instructions and declarations are skipped; quoted attribute values
 * may hold '>' or '/'.
 */
export function xmlDepth(bytes, limit) {
  let depth = 0;
  let deepest = 0;
  const n = bytes.length;
  let i = bytes.indexOf(0x3c); // '<'
  while (i >= 0 && i < n) {
    const next = bytes[i + 1];
    if (next === 0x21) {
      // <!-- … -->, <![CDATA[ … ]]>, <!DOCTYPE …>
      const isComment = bytes[i + 2] === 0x2d && bytes[i + 3] === 0x2d;
      const isCdata = bytes[i + 2] === 0x5b;
      const terminator = isComment ? [0x2d, 0x2d, 0x3e] : isCdata ? [0x5d, 0x5d, 0x3e] : [0x3e];
      let j = i + 2;
      for (;;) {
        j = bytes.indexOf(terminator[0], j);
        if (j < 0) return deepest;
        if (terminator.every((b, k) => bytes[j + k] === b)) break;
        j++;
      }
      i = bytes.indexOf(0x3c, j + terminator.length);
      continue;
    }
    if (next === 0x3f) {
      // <? … ?>
      let j = i + 2;
      for (;;) {
        j = bytes.indexOf(0x3f, j);
        if (j < 0) return deepest;
        if (bytes[j + 1] === 0x3e) break;
        j++;
      }
      i = bytes.indexOf(0x3c, j + 2);
      continue;
    }
    // A tag: find its '>' outside quotes.
    let j = i + 1;
    let quote = 0;
    for (; j < n; j++) {
      const c = bytes[j];
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) break;
    }
    if (j >= n) return deepest;
    if (next === 0x2f) depth = Math.max(0, depth - 1);
    else if (bytes[j - 1] !== 0x2f) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    }
    i = bytes.indexOf(0x3c, j + 1);
  }
  return deepest;
}

/** Parts (as readDocxParts returns them) as a new archive, stored, for mammoth. */
export function storedArchive(parts) {
  return zipSync(parts, { level: 0 });
}

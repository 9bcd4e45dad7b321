// Converting documents to and from Markdown and Word (and reading HTML and text source papers), in
// a child process (see converter.ts) so a long paper never stalls the editing loop and a hostile
// file can't exhaust the server's memory. Plain JavaScript: it runs without tsx (the TypeScript
// it needs from server/src/sources, for numbering paragraphs, is loaded with tsx's tsImport).
//
// Jobs (postMessage { jobId, kind, … }):
//   { kind: 'markdown-export', updates: Uint8Array[], title }  → { markdown }
//   { kind: 'docx-export', updates: Uint8Array[], title }      → { docx: Uint8Array }
//   { kind: 'import', target: 'draft' | 'source', format, title?, content? | bodyPath?, resultPath? }
//     → { title, paragraphCount?, updates? | chunks? }
//   { kind: 'reimport', format, title, content? | bodyPath?, state: Uint8Array[] | statePath, resultPath? }
//     → { kept, added, removed, total, updates? | chunks? }
// An import reads the file (`content`, or the `content` field of the JSON request body at
// `bodyPath`: the server's main thread never parses an upload), checks it against the import
// limits (a Word file's archive before and while unzipping; the document's characters, nodes,
// table cells; its nesting is flattened beyond DOCUMENT_MAX_DEPTH), checks it against the
// document schema, numbers a source's paragraphs, and encodes the new document as Yjs updates of
// about `chunkBytes` each (a re-import: the updates that turn the source's current state into the
// new content, keeping unchanged items). With `resultPath` the updates are written there, one
// after the other, and `chunks` lists their [offset, length]: the main thread reads and stores
// them a slice at a time, without a large message to deserialize.
// Exports check the stored document against the same document limits (413 rather than a crash).
//
// workerData: { schemaSpec, titleMax, untitled, limits, importMaxChars, maxDepth, maxXmlDepth }:
// the shared schema's node and mark specs as data (content, groups, attributes and marks are all a
// check needs), and the limits of shared/api/import.ts as configured.
// → { jobId, result } or { jobId, error, code }  (code invalid_content: the input is not usable;
//   too_large: over a limit, the message names it; invalid_json: the request body is not JSON)
import { readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { Schema } from '@tiptap/pm/model';
import { tsImport } from 'tsx/esm/api';
import * as Y from 'yjs';
import { fromDocx, toDocx } from './docx.mjs';
import { fromHtml } from './html.mjs';
import { parentPort, workerData } from './job-port.mjs';
import { checkLimits, clampDepth, LimitError } from './limits.mjs';
import { fromMarkdown, ImportError, toMarkdown } from './markdown.mjs';
import { fromText } from './text.mjs';
import { CONTENT_FRAGMENT, encodeChunks, mergeInto, yjsToJson } from './yjs-content.mjs';

// Conversions are batch work: on a busy machine the server's main thread, which relays every
// keystroke, goes first (nice 5: about a third of its CPU share when both want the same core;
// not lower, so that a conversion still finishes within its time on a machine busy with other
// work). Only in a process of its own (a thread would lower the whole server).
if (isMainThread) {
  try {
    setPriority(5);
  } catch {
    // not allowed here: run at the normal priority
  }
}

/** Slices of the result the main thread stores (or applies) one at a time. */
const CHUNK_BYTES = 256 * 1024;
/** Top-level steps (blocks kept, changed, inserted or deleted) per transaction of a re-import. */
const REIMPORT_BATCH = 100;

let schema = null;
// Specs arrive as [name, spec] pairs, in the schema's order (an object keeps it: no name is a number).
const getSchema = () =>
  (schema ??= new Schema({
    nodes: Object.fromEntries(workerData.schemaSpec.nodes),
    marks: Object.fromEntries(workerData.schemaSpec.marks),
    topNode: workerData.schemaSpec.topNode,
  }));

let sourceTasks = null;
/** server/src/sources/conversion-tasks.ts (numbering, paragraphs, replacing content), loaded once. */
const getSourceTasks = () => (sourceTasks ??= tsImport('../sources/conversion-tasks.ts', import.meta.url));

class InvalidJson extends Error {
  constructor() {
    super('request body is not valid JSON');
    this.code = 'invalid_json';
  }
}

const PARSERS = { markdown: fromMarkdown, docx: fromDocx, html: fromHtml, text: fromText };
const cleanTitle = (title) => String(title ?? '').replace(/\s+/g, ' ').trim().slice(0, workerData.titleMax).trim();

/** The file's content: given, or the `content` field of the request body spooled to `bodyPath`. */
function contentOf(job) {
  let content = job.content;
  if (job.bodyPath !== undefined) {
    try {
      content = JSON.parse(readFileSync(job.bodyPath, 'utf8')).content;
    } catch {
      throw new InvalidJson();
    }
  }
  if (typeof content !== 'string') throw new ImportError('content must be a string');
  if (content.length > workerData.importMaxChars) {
    throw new LimitError(`content is too large to import (${content.length} characters; the limit is ${workerData.importMaxChars})`);
  }
  return content;
}

/** The file read as its format, flattened where it nests too deep, checked against the document limits. */
async function parsed(job) {
  const parse = PARSERS[job.format];
  if (!parse) throw new ImportError(`unknown format ${job.format}`, 'format');
  const result = await parse(contentOf(job), job.title, { ...workerData.limits, maxXmlDepth: workerData.maxXmlDepth });
  clampDepth(result.doc, workerData.maxDepth);
  checkLimits(result.doc, workerData.limits, 'import');
  return result;
}

/** ProseMirror JSON → a checked ProseMirror node of the schema (400 when it does not fit). */
function checkedNode(json) {
  try {
    const node = getSchema().nodeFromJSON(json);
    node.check();
    return node;
  } catch (error) {
    throw new ImportError(`the content could not be converted: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The result's updates: in the message, or written to `resultPath` with their places listed. */
function deliver(job, updates, rest) {
  if (job.resultPath === undefined) return { ...rest, updates };
  const chunks = [];
  let offset = 0;
  for (const update of updates) {
    chunks.push([offset, update.byteLength]);
    offset += update.byteLength;
  }
  writeFileSync(job.resultPath, Buffer.concat(updates));
  return { ...rest, chunks };
}

async function importJob(job) {
  const { title: rawTitle, doc } = await parsed(job);
  let paragraphCount;
  if (job.target === 'source') {
    const tasks = await getSourceTasks();
    if (!tasks.hasText(doc)) throw new ImportError('the file has no text');
    paragraphCount = tasks.numberContent(doc).pids.length;
  }
  const node = checkedNode(doc);
  const title = cleanTitle(job.target === 'source' ? (job.title ?? rawTitle) : rawTitle) || job.untitled || workerData.untitled;
  return deliver(job, encodeChunks(node, title, { chunkBytes: CHUNK_BYTES }), { title, paragraphCount });
}

async function reimportJob(job) {
  const { doc } = await parsed(job);
  const tasks = await getSourceTasks();
  if (!tasks.hasText(doc)) throw new ImportError('the file has no text');
  const state = job.statePath !== undefined ? splitState(readFileSync(job.statePath)) : job.state;
  const source = tasks.loadSource(state);
  try {
    const numbering = tasks.numberContent(doc, source.paragraphs);
    const incoming = encodeChunks(checkedNode(doc), undefined, { chunkBytes: Number.POSITIVE_INFINITY });
    // Updates that delete are not merged: Yjs integrates a deletion in time that grows with the
    // document, so a re-import's deletions reach the main thread in its small transactions.
    const updates = mergeInto(source.replaceWith(incoming, REIMPORT_BATCH), CHUNK_BYTES, { keepDeletions: true });
    return deliver(job, updates, {
      kept: numbering.kept,
      added: numbering.added,
      removed: numbering.removed,
      total: numbering.pids.length,
    });
  } finally {
    source.destroy();
  }
}

/** A state file: updates one after the other, each after its length (4 bytes, little-endian). */
function splitState(bytes) {
  const updates = [];
  for (let at = 0; at + 4 <= bytes.length; ) {
    const length = bytes.readUInt32LE(at);
    updates.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return updates;
}

/** A stored document's content as ProseMirror JSON, within the document limits and the depth writers handle. */
function exportedContent(updates) {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    return clampDepth(yjsToJson(doc.getXmlFragment(CONTENT_FRAGMENT), workerData.limits, 'export'), workerData.maxDepth);
  } finally {
    doc.destroy();
  }
}

async function run(job) {
  switch (job.kind) {
    case 'markdown-export':
      return { markdown: toMarkdown(exportedContent(job.updates), job.title) };
    case 'docx-export':
      return { docx: await toDocx(exportedContent(job.updates), job.title) };
    case 'import':
      return importJob(job);
    case 'reimport':
      return reimportJob(job);
    default:
      throw new Error(`unknown job ${job.kind}`);
  }
}

parentPort.on('message', async (job) => {
  try {
    parentPort.postMessage({ jobId: job.jobId, result: await run(job) });
  } catch (error) {
    const known = error instanceof ImportError || error instanceof LimitError || error instanceof InvalidJson;
    parentPort.postMessage({
      jobId: job.jobId,
      error: error instanceof Error ? error.message : String(error),
      code: known ? error.code : 'export_failed',
    });
  }
});

// Converting documents to and from Markdown and Word, in a child process (see converter.ts) so a
// long paper never stalls the editing loop and a hostile file can't exhaust the server's memory.
// Plain JavaScript: it runs without tsx.
//
// Jobs (postMessage { jobId, kind, … }):
//   { kind: 'markdown-export', updates: Uint8Array[], title }  → { markdown }
//   { kind: 'markdown-import', content: string, title?: string } → { title, update }
//   { kind: 'docx-export', updates: Uint8Array[], title }      → { docx: Uint8Array }
//   { kind: 'docx-import', content: string (base64), title? }  → { title, update }
//   { kind: 'source-parse', format: 'markdown'|'docx'|'html'|'text', content, title? } → { title, doc }
//     (a source paper's content as ProseMirror JSON, checked against the schema; the main thread
//     numbers its paragraphs)
//   { kind: 'source-encode', doc, title }                       → { update }
// An import's content is checked against the document schema and encoded as the new draft's
// first Yjs update (content and meta.title) here too. workerData: { schemaSpec, titleMax, untitled }:
// the shared schema's node and mark specs as data (the worker cannot load shared/schema, which is
// TypeScript; content, groups, attributes and marks are all a check needs).
// → { jobId, result } or { jobId, error, code }  (code invalid_content: the input is not usable)
import { Schema } from '@tiptap/pm/model';
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { parentPort, workerData } from './job-port.mjs';
import * as Y from 'yjs';
import { fromDocx, toDocx } from './docx.mjs';
import { fromHtml } from './html.mjs';
import { fromMarkdown, ImportError, toMarkdown } from './markdown.mjs';
import { fromText } from './text.mjs';

const CONTENT_FRAGMENT = 'default';
const META_MAP = 'meta';
const META_TITLE = 'title';

let schema = null;
// Specs arrive as [name, spec] pairs, in the schema's order (an object keeps it: no name is a number).
const getSchema = () =>
  (schema ??= new Schema({
    nodes: Object.fromEntries(workerData.schemaSpec.nodes),
    marks: Object.fromEntries(workerData.schemaSpec.marks),
    topNode: workerData.schemaSpec.topNode,
  }));

/** Parsed content → the new draft's first update (content checked against the schema, and title). */
function draftOf({ title: rawTitle, doc: json }) {
  const schema = getSchema();
  let doc;
  try {
    schema.nodeFromJSON(json).check();
    doc = prosemirrorJSONToYDoc(schema, json, CONTENT_FRAGMENT);
  } catch (error) {
    throw new ImportError(`the content could not be converted: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const title = rawTitle.replace(/\s+/g, ' ').trim().slice(0, workerData.titleMax).trim() || workerData.untitled;
    doc.getMap(META_MAP).set(META_TITLE, title);
    return { title, update: Y.encodeStateAsUpdate(doc) };
  } finally {
    doc.destroy();
  }
}

/** Parsed content, checked against the schema (for the main thread to number, then source-encode). */
function checkedContent({ title, doc: json }) {
  try {
    getSchema().nodeFromJSON(json).check();
  } catch (error) {
    throw new ImportError(`the content could not be converted: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { title: title.replace(/\s+/g, ' ').trim().slice(0, workerData.titleMax).trim(), doc: json };
}

const SOURCE_PARSERS = { markdown: fromMarkdown, docx: fromDocx, html: fromHtml, text: fromText };

function contentOf(updates) {
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(CONTENT_FRAGMENT));
  } finally {
    doc.destroy();
  }
}

async function run(job) {
  switch (job.kind) {
    case 'markdown-export':
      return { markdown: toMarkdown(contentOf(job.updates), job.title) };
    case 'markdown-import':
      return draftOf(fromMarkdown(job.content, job.title));
    case 'docx-export':
      return { docx: await toDocx(contentOf(job.updates), job.title) };
    case 'docx-import':
      return draftOf(await fromDocx(job.content, job.title));
    case 'source-parse': {
      const parse = SOURCE_PARSERS[job.format];
      if (!parse) throw new ImportError(`unknown format ${job.format}`, 'format');
      return checkedContent(await parse(job.content, job.title));
    }
    case 'source-encode':
      return { update: draftOf({ title: job.title, doc: job.doc }).update };
    default:
      throw new Error(`unknown job ${job.kind}`);
  }
}

parentPort.on('message', async (job) => {
  try {
    parentPort.postMessage({ jobId: job.jobId, result: await run(job) });
  } catch (error) {
    parentPort.postMessage({
      jobId: job.jobId,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof ImportError ? error.code : 'export_failed',
    });
  }
});

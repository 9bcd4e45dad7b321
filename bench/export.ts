/**
 * PDF export benchmark: how long typesetting a paper takes, and what it does to the event loop
 * that serves editing while it runs.
 *
 *   node --import tsx bench/export.ts [--runs N] [--cold N] [--copies N]
 *
 * Runs a Concord server in this process (fresh DATA_DIR), writes two papers through a real
 * collaboration client — the working group's contribution to the EGM (≈ 10 pages, with its
 * four-column annex table) and all three sample papers repeated `--copies` times (default 5,
 * ≈ 100 pages) — and exports them through GET /api/documents/:id/export.pdf:
 *
 * - cold: the first export after the server starts (worker thread, typesetter and fonts loaded
 *   by that export), `--cold` times per paper (default 3), each on a freshly started server;
 * - warm, unchanged: `--runs` exports per paper (default 10) after one warm-up, of the same
 *   content (the typesetter's cache of the last export applies);
 * - warm, edited: `--runs` exports per paper, each after an editor changed one word at the start
 *   of the paper (what exporting a draft in progress costs).
 *
 * Event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution) is measured while the
 * edited exports of the long paper run back to back, and for the same time idle, for comparison:
 * that loop is the one that serves every editor's keystrokes. Prints a table; writes the raw
 * figures to bench/results/export.json.
 */
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadConfig } from '../server/src/config';
import { startServer, type RunningServer } from '../server/src/server';
import { openSqliteStore } from '../server/src/store/index';
import { getDocumentSchema } from '../shared/schema/index';
import { sampleDraft, sampleFiles, type Draft } from '../tests/export/samples';
import { percentileOfSorted } from './stats';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, cold: { type: 'string', default: '3' }, copies: { type: 'string', default: '5' } },
});
const RUNS = Number(args.runs);
const COLD_RUNS = Number(args.cold);
const COPIES = Number(args.copies);

const log = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

// ---------------------------------------------------------------------------------------------
// A server in this process, on one data folder across restarts.

const dataDir = mkdtempSync(join(tmpdir(), 'concord-bench-export-'));
const store = openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: join(REPO_ROOT, 'dist/client') });
const start = () => startServer({ config, store, log: pino({ level: 'silent' }) });
let server: RunningServer = await start();

async function api<T>(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ body: T; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return { body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

const signUp = await api('POST', '/api/auth/signup', {}, { email: 'bench@example.org', name: 'Bench', password: 'bench password, not a secret' });
const cookie = signUp.headers.getSetCookie().find((value) => value.startsWith('concord_session='))!.split(';')[0];
const { token } = (await api<{ token: string }>('POST', '/api/tokens', { cookie }, { name: 'bench', expiresInDays: null })).body;
const auth = { authorization: `Bearer ${token}` };
const group = (await api<{ id: string }>('POST', '/api/groups', auth, { name: 'IGF MAG Working Group on Strategy' })).body;

/** A stock y-websocket client of the (current) server. */
async function connect(id: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}/collab`, id, doc, {
    WebSocketPolyfill: class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: auth });
      }
    } as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  while (!provider.synced) await sleep(10);
  return { doc, provider };
}

/** Waits until the server's copy of the document has everything the client has, stored. */
async function settled(id: string, doc: Y.Doc): Promise<void> {
  const expected = Buffer.from(Y.encodeStateVector(doc));
  for (;;) {
    const room = server.registry.peek(id);
    if (room && Buffer.from(Y.encodeStateVector(room.doc)).equals(expected)) {
      await room.flush();
      return;
    }
    await sleep(5);
  }
}

/** Creates a document and writes the draft into it with a stock y-websocket client. */
async function writeDraft(draft: Draft): Promise<string> {
  const { id } = (await api<{ id: string }>('POST', '/api/documents', auth, { groupId: group.id, title: draft.title })).body;
  const { doc, provider } = await connect(id);
  prosemirrorJSONToYXmlFragment(getDocumentSchema(), draft.doc, doc.getXmlFragment('default'));
  await settled(id, doc);
  provider.destroy();
  doc.destroy();
  return id;
}

/** Changes the first word of the paper, as an editor would. */
function editFirstWord(doc: Y.Doc, run: number): void {
  const first = doc.getXmlFragment('default').get(0) as Y.XmlElement;
  const text = first.get(0) as Y.XmlText;
  const word = `Draft${run} `;
  if (run > 0) text.delete(0, `Draft${run - 1} `.length);
  text.insert(0, word);
}

const files = sampleFiles();
const short = sampleDraft(files.find((file) => file.includes('egm'))!);
const long: Draft = {
  title: 'The working group’s papers, collected',
  doc: {
    type: 'doc',
    content: Array.from({ length: COPIES }, () => files.flatMap((file) => {
      const draft = sampleDraft(file);
      return [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: draft.title }] }, ...draft.doc.content!];
    })).flat(),
  },
};
log('writing the papers…');
const papers = [
  { name: '≈10 pages', id: await writeDraft(short) },
  { name: '≈100 pages', id: await writeDraft(long) },
];

async function exportOnce(id: string): Promise<{ ms: number; pages: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/documents/${id}/export.pdf?toc=true&numbered=true`, { headers: auth });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${body.toString().slice(0, 300)}`);
  return { ms: performance.now() - started, pages: Number(response.headers.get('x-page-count')), bytes: body.length };
}

// ---------------------------------------------------------------------------------------------
// Measurements.

const rssBefore = process.memoryUsage().rss;
const results: Record<string, { pages: number; bytes: number; cold: number[]; warm: number[]; edited: number[] }> = {};
for (const paper of papers) results[paper.name] = { pages: 0, bytes: 0, cold: [], warm: [], edited: [] };

for (let run = 0; run < COLD_RUNS; run++) {
  for (const paper of papers) {
    await server.close();
    server = await start();
    log(`cold ${run + 1}/${COLD_RUNS}: ${paper.name}`);
    const result = await exportOnce(paper.id);
    results[paper.name].cold.push(result.ms);
  }
}

const histogram = monitorEventLoopDelay({ resolution: 1 });
let exportingMs = 0;
for (const paper of papers) {
  await exportOnce(paper.id);
  for (let run = 0; run < RUNS; run++) {
    log(`warm ${run + 1}/${RUNS}: ${paper.name}`);
    const result = await exportOnce(paper.id);
    results[paper.name].warm.push(result.ms);
    results[paper.name].pages = result.pages;
    results[paper.name].bytes = result.bytes;
  }
  const editor = await connect(paper.id);
  const measureLoop = paper === papers[papers.length - 1];
  let measured = 0;
  for (let run = 0; run < RUNS; run++) {
    log(`edited ${run + 1}/${RUNS}: ${paper.name}`);
    editFirstWord(editor.doc, run);
    await settled(paper.id, editor.doc);
    if (measureLoop) histogram.enable();
    const result = await exportOnce(paper.id);
    if (measureLoop) histogram.disable();
    measured += result.ms;
    results[paper.name].edited.push(result.ms);
  }
  if (measureLoop) exportingMs = measured;
  editor.provider.destroy();
  editor.doc.destroy();
}
const during = { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
histogram.reset();
log(`idle for ${Math.round(exportingMs)} ms, for comparison…`);
histogram.enable();
await sleep(exportingMs);
histogram.disable();
const idle = { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };

const rssAfter = process.memoryUsage().rss;
await server.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Report.

const pct = (values: number[], p: number) => percentileOfSorted(Float64Array.from(values).sort(), p);
const ms = (value: number) => `${Math.round(value)} ms`;
const lines = [
  `PDF export (${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; node ${process.version})`,
  '',
  '| paper | pages | PDF size | cold p50 | cold p95 | warm, unchanged p50 | p95 | warm, after an edit p50 | p95 |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...papers.map(({ name }) => {
    const r = results[name];
    return `| ${name} | ${r.pages} | ${(r.bytes / 1024).toFixed(0)} KiB | ${ms(pct(r.cold, 50))} | ${ms(pct(r.cold, 95))} | ${ms(pct(r.warm, 50))} | ${ms(pct(r.warm, 95))} | ${ms(pct(r.edited, 50))} | ${ms(pct(r.edited, 95))} |`;
  }),
  '',
  `Event-loop delay of the server during the exports of the long paper after an edit (${RUNS} exports, ${ms(exportingMs)} in all):`,
  `  during exports: p50 ${during.p50.toFixed(2)} ms, p99 ${during.p99.toFixed(2)} ms, max ${during.max.toFixed(2)} ms`,
  `  idle:           p50 ${idle.p50.toFixed(2)} ms, p99 ${idle.p99.toFixed(2)} ms, max ${idle.max.toFixed(2)} ms`,
  `Process RSS (server, this bench's clients, the export worker): ${(rssBefore / 2 ** 20).toFixed(0)} MiB before the first export, ${(rssAfter / 2 ** 20).toFixed(0)} MiB after all.`,
  `(cold: ${COLD_RUNS} runs per paper, first export after a server start; warm: ${RUNS} runs; nearest-rank percentiles)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'bench/results/export.json'), JSON.stringify({ results, eventLoop: { during, idle, exportingMs }, rss: { before: rssBefore, after: rssAfter }, runs: RUNS, coldRuns: COLD_RUNS, copies: COPIES }, null, 2));
process.exit(0);

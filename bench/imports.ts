/**
 * The `import-while-editing` scenario, Concord only (the peers have no imports): what large imports
 * cost everyone else's editing (issue 13: "imports freeze editing").
 *
 * 1. A typing load on one document: 20 typists and one observer (the typing job of
 *    bench/load/typing.ts: light y-websocket clients and a stock WebsocketProvider), each typist
 *    at --rate edits/s with a cursor update per keystroke.
 * 2. While they type, two windows back to back (the bench holds the load process's measurement
 *    open and tells it the windows afterwards):
 *    - `baseline`: no request, min(--measure, 5 s);
 *    - `imports`: four 10 MiB files imported into *other* documents through the HTTP API, one
 *      after the other, as a script with a token would: a text and an HTML source paper
 *      (POST /api/sources/import), a Markdown and a Word draft (POST /api/documents/import).
 * 3. For each window: the typists' keystroke-to-peer latency (edits made in the window), the
 *    server's event-loop delay (bench/probe.mjs, inside the server process), its RSS, and the RSS of
 *    the server with its child processes (the conversion runs in one), sampled from /proc every
 *    100 ms.
 *
 * The files (bench/results/cache/import-*) are made once from the working group's sample papers,
 * numbered so no two paragraphs are alike: the text, HTML and Markdown files just under 10 MiB;
 * the Word file 10 MiB with the text of about 400 pages and figures (incompressible images), as a
 * real report is: a Word file of text alone that size unzips to about 35 MB and is refused by
 * the unzipped limit (IMPORT_MAX_UNZIPPED_BYTES, 32 MiB).
 *
 * BENCH_CONCORD_DIR: run the Concord server of another checkout (e.g. the commit before a
 * change, for a before/after row); BENCH_LABEL names its rows.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Document, ImageRun, Packer, Paragraph, HeadingLevel } from 'docx';
import { bearerHeaders } from './concord-api';
import type { TypingResult, WindowLatency } from './load/jobs';
import { count, fmt, log, machineCpuTicks, pct, runLoad, sleep } from './orchestrator';
import type { ImportScenario, Options, RunRecord } from './run';
import { REPO_ROOT, ServerEnvironment, ServerUnderTest, logTail, type ProbeSample, type ServerName } from './servers';
import { median } from './stats';

const FILE_BYTES = 10 * 2 ** 20 - 64 * 1024;
const CACHE = join(REPO_ROOT, 'bench', 'results', 'cache');
const SAMPLES = join(REPO_ROOT, '..', 'shared', 'samples');

interface ImportFile {
  label: string;
  path: '/api/sources/import' | '/api/documents/import';
  format: 'text' | 'html' | 'markdown' | 'docx';
  /** The request body, as sent. */
  body: Buffer;
  fileBytes: number;
}

export interface ImportSample {
  label: string;
  fileBytes: number;
  status: number;
  ms: number;
  error?: string;
}

interface WindowRecord {
  label: string;
  startNs: number;
  endNs: number;
  server?: ProbeSample;
  /** Highest RSS of the server process and all its descendants (the conversion process), sampled every 100 ms. */
  peakTreeRssBytes?: number;
  machineCpuPercent?: number;
  latency?: WindowLatency;
}

export interface ImportRecord {
  imports: ImportSample[];
  typing?: TypingResult;
  windows: WindowRecord[];
  progressLine: string;
}

// ---------------------------------------------------------------------------------------------
// The files

/** The sample papers' paragraphs (no tables), numbered from `i` on so none repeats. */
function* paragraphs(): Generator<string> {
  const base = readdirSync(SAMPLES)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .flatMap((name) => readFileSync(join(SAMPLES, name), 'utf8').split(/\n\s*\n/))
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter((p) => p !== '' && !p.includes('\t'));
  for (let i = 0; ; i++) yield `${base[i % base.length]} (${i})`;
}

/** Pieces from `make` until the next would pass `bytes`. */
function fill(bytes: number, make: (paragraph: string, i: number) => string, head = '', tail = ''): string {
  const parts = [head];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail);
  let i = 0;
  for (const paragraph of paragraphs()) {
    const piece = make(paragraph, i++);
    const length = Buffer.byteLength(piece);
    if (size + length > bytes) break;
    parts.push(piece);
    size += length;
  }
  parts.push(tail);
  return parts.join('');
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeMarkdown = (text: string): string => text.replace(/[\\`*_[\]<>#|~]/g, '');

/** A deterministic, incompressible image (PRNG bytes). */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed >>> 0;
  for (let i = 0; i < bytes; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.writeUInt32LE(state, Math.min(i, bytes - 4));
  }
  return out;
}

async function wordFile(): Promise<Buffer> {
  const children: Paragraph[] = [];
  const text = paragraphs();
  // About 400 pages of text, and a figure every 500 paragraphs until the file is 10 MiB.
  for (let i = 0; i < 4000; i++) {
    if (i % 40 === 0) children.push(new Paragraph({ text: `Section ${i / 40 + 1}`, heading: HeadingLevel.HEADING_1 }));
    children.push(new Paragraph(text.next().value as string));
    if (i % 500 === 499) {
      children.push(new Paragraph({ children: [new ImageRun({ type: 'png', data: noise(1_230_000, i), transformation: { width: 600, height: 400 } })] }));
    }
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

async function importFiles(groupId: string): Promise<ImportFile[]> {
  mkdirSync(CACHE, { recursive: true });
  const cached = async (name: string, make: () => Promise<Buffer> | Buffer): Promise<Buffer> => {
    const path = join(CACHE, name);
    if (existsSync(path)) return readFileSync(path);
    const bytes = await make();
    writeFileSync(path, bytes);
    return bytes;
  };
  const text = await cached('import-paper.txt', () => Buffer.from(fill(FILE_BYTES, (p, i) => `${i % 40 === 0 ? `SECTION ${i / 40 + 1}\n\n` : ''}${i + 1}. ${p}\n\n`)));
  const html = await cached('import-paper.html', () =>
    Buffer.from(
      fill(
        FILE_BYTES,
        (p, i) => `${i % 40 === 0 ? `<h2>Section ${i / 40 + 1}</h2>\n` : ''}<p>${i + 1}. ${escapeHtml(p)} <b>(${i})</b></p>\n`,
        '<!doctype html><html><head><title>A long paper</title></head><body>\n',
        '</body></html>\n',
      ),
    ),
  );
  const markdown = await cached('import-paper.md', () =>
    Buffer.from(
      fill(
        FILE_BYTES,
        (p, i) =>
          `${i % 40 === 0 ? `## Section ${i / 40 + 1}\n\n` : ''}${i % 7 === 0 ? `- ${escapeMarkdown(p)}\n- *see* [the annex](https://example.org/annex/${i})\n\n` : `${escapeMarkdown(p)} **(${i})**\n\n`}`,
        '# A long paper\n\n',
      ),
    ),
  );
  const word = await cached('import-paper.docx', wordFile);
  const body = (format: ImportFile['format'], content: string, title: string): Buffer => Buffer.from(JSON.stringify({ groupId, format, content, title }));
  return [
    { label: 'text source', path: '/api/sources/import', format: 'text', body: body('text', text.toString('utf8'), 'Text paper'), fileBytes: text.length },
    { label: 'HTML source', path: '/api/sources/import', format: 'html', body: body('html', html.toString('utf8'), 'HTML paper'), fileBytes: html.length },
    { label: 'Markdown draft', path: '/api/documents/import', format: 'markdown', body: body('markdown', markdown.toString('utf8'), 'Markdown paper'), fileBytes: markdown.length },
    { label: 'Word draft', path: '/api/documents/import', format: 'docx', body: body('docx', word.toString('base64'), 'Word paper'), fileBytes: word.length },
  ];
}

// ---------------------------------------------------------------------------------------------
// RSS of the server and its descendants

function descendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of `pid` and its descendants every 100 ms; `peak(start, end)` over a window (hrtime ns). */
function treeRssSampler(pid: number): { stop(): void; peak(startNs: number, endNs: number): number } {
  const samples: [number, number][] = [];
  const timer = setInterval(() => {
    samples.push([Number(process.hrtime.bigint()), descendants(pid).reduce((sum, p) => sum + rssOf(p), 0)]);
  }, 100);
  return {
    stop: () => clearInterval(timer),
    peak: (startNs, endNs) => samples.filter(([at]) => at >= startNs && at <= endNs).reduce((max, [, rss]) => Math.max(max, rss), 0),
  };
}

// ---------------------------------------------------------------------------------------------
// One run

const nowNs = (): number => Number(process.hrtime.bigint());

export async function runImports(scenario: ImportScenario, serverName: ServerName, run: number, options: Options, logDir: string): Promise<RunRecord> {
  const logFile = join(logDir, `${scenario.name}-${serverName}-run${run}.log`);
  const record: RunRecord = { scenario: scenario.name, server: serverName, run, ok: false, logFile };
  const imports: ImportRecord = { imports: [], windows: [], progressLine: '' };
  record.imports = imports;
  const baselineMs = Math.min(options.measureMs, 5_000);
  const maxImportsMs = 600_000;
  let environment: ServerEnvironment | null = null;
  let server: ServerUnderTest | null = null;
  let sampler: ReturnType<typeof treeRssSampler> | null = null;
  const problems: string[] = [];
  try {
    environment = await ServerEnvironment.create(serverName, scenario.name);
    server = await ServerUnderTest.start(serverName, { logFile, environment });
    const [typed] = await server.createDocuments(1, `bench-${scenario.name}`);
    const credentials = server.credentials!;
    const files = await importFiles(credentials.groupId);
    sampler = treeRssSampler(server.processes[0].child.pid!);

    let experimentError: Error | null = null;
    const experiment = async (): Promise<void> => {
      const window = async (label: string, body: () => Promise<void>): Promise<void> => {
        const startTicks = machineCpuTicks();
        const startNs = nowNs();
        try {
          await body();
        } finally {
          const endNs = nowNs();
          const endTicks = machineCpuTicks();
          const machineCpuPercent =
            startTicks && endTicks && endTicks.total > startTicks.total ? ((endTicks.busy - startTicks.busy) / (endTicks.total - startTicks.total)) * cpus().length * 100 : undefined;
          imports.windows.push({ label, startNs, endNs, machineCpuPercent });
        }
      };
      await window('baseline', () => sleep(baselineMs));
      await window('imports', async () => {
        for (const file of files) {
          const start = performance.now();
          try {
            const response = await fetch(`${server!.httpUrl}${file.path}`, {
              method: 'POST',
              headers: { ...bearerHeaders(credentials.token), 'content-type': 'application/json' },
              body: new Uint8Array(file.body.buffer as ArrayBuffer, file.body.byteOffset, file.body.byteLength),
              signal: AbortSignal.timeout(300_000),
            });
            const text = await response.text();
            const sample: ImportSample = { label: file.label, fileBytes: file.fileBytes, status: response.status, ms: performance.now() - start };
            if (response.status !== 201) sample.error = text.slice(0, 300);
            imports.imports.push(sample);
          } catch (error) {
            imports.imports.push({ label: file.label, fileBytes: file.fileBytes, status: 0, ms: performance.now() - start, error: (error as Error).message });
          }
        }
      });
    };
    imports.typing = await runLoad<TypingResult>(
      {
        kind: 'typing',
        docs: [typed],
        editorsPerDoc: scenario.editors,
        typistsPerDoc: scenario.typists,
        editsPerSecond: options.editsPerSecond,
        cursorUpdates: options.cursorUpdates,
        durabilityProbes: 0,
        warmupMs: options.warmupMs,
        measureMs: baselineMs + maxImportsMs,
        drainTimeoutMs: options.drainTimeoutMs,
        connectConcurrency: 25,
        orchestratedWindows: true,
      },
      async (phase) => {
        if (phase !== 'measure-start') return;
        try {
          await experiment();
        } catch (error) {
          experimentError = error as Error;
        }
        return { windows: imports.windows.map(({ label, startNs, endNs }) => ({ label, startNs, endNs })) };
      },
      options.warmupMs + baselineMs + maxImportsMs + 300_000,
    );
    if (experimentError) throw experimentError;
    sampler.stop();
    for (const window of imports.windows) {
      window.server = await server.probe({ startNs: window.startNs, endNs: window.endNs });
      window.peakTreeRssBytes = sampler.peak(window.startNs, window.endNs);
      window.latency = imports.typing.windows?.find((w) => w.label === window.label);
    }
    record.otherCpuPercent = Math.max(
      0,
      ...imports.windows.map((w) => (w.machineCpuPercent === undefined || !w.server ? 0 : w.machineCpuPercent - w.server.cpuPercent - imports.typing!.harness.cpuPercent)),
    );
    for (const sample of imports.imports) if (sample.status !== 201) problems.push(`${sample.label}: ${sample.status} ${sample.error ?? ''}`);
    const t = imports.typing;
    if (!t.converged || t.delivered !== t.expected || t.disconnects > 0) problems.push(...(t.problems.slice(0, 3).length ? t.problems.slice(0, 3) : ['incomplete deliveries']));
    const during = imports.windows.find((w) => w.label === 'imports');
    imports.progressLine = `imports ${imports.imports.map((s) => `${s.label} ${s.status} in ${fmt(s.ms / 1000, 1)} s`).join(', ')}; keystrokes p50 ${fmt(during?.latency?.latencyMs.p50 ?? Number.NaN)} / p99 ${fmt(
      during?.latency?.latencyMs.p99 ?? Number.NaN,
    )} ms, ELD p99 ${fmt(during?.server?.eventLoopDelayP99Ms ?? Number.NaN)} ms, RSS ${fmt((during?.peakTreeRssBytes ?? Number.NaN) / 2 ** 20, 0)} MiB with the conversion process`;
    record.ok = problems.length === 0;
    if (!record.ok) record.error = problems.join('; ');
  } catch (error) {
    record.ok = false;
    record.error = [...problems, (error as Error).message].join('; ');
    const tail = logTail(logFile, 8);
    if (tail) record.error += `\n--- ${logFile} (tail) ---\n${tail}`;
  } finally {
    sampler?.stop();
    if (server) await server.stop().catch(() => undefined);
    if (environment) await environment.remove().catch((error: Error) => log(`removing ${serverName}'s storage failed: ${error.message}`));
  }
  return record;
}

// ---------------------------------------------------------------------------------------------
// Summary over runs

interface WindowRow {
  label: string;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  serverCpuPercent: number;
  peakRssMiB: number;
  peakTreeRssMiB: number;
  otherCpuPercent: number;
  delivered: number;
  expected: number;
}

export interface ImportSummary {
  scenario: string;
  label: string;
  runs: number;
  okRuns: number;
  editors: number;
  typists: number;
  editsPerSecond: number;
  imports: Array<{ label: string; fileMiB: number; medianSeconds: number; statuses: string }>;
  windows: WindowRow[];
  errors: string[];
}

export function summarizeImports(scenario: ImportScenario, records: RunRecord[], options: Options): ImportSummary {
  const all = records.map((r) => r.imports).filter((i): i is ImportRecord => i !== undefined);
  const labels = [...new Set(all.flatMap((i) => i.imports.map((s) => s.label)))];
  const windows = ['baseline', 'imports'].map((label): WindowRow => {
    const ws = all.map((i) => i.windows.find((w) => w.label === label)).filter((w): w is WindowRecord => w !== undefined);
    const pick = (f: (w: WindowRecord) => number | undefined): number => median(ws.map((w) => f(w) ?? Number.NaN));
    const harnessCpu = (w: WindowRecord): number => all.find((i) => i.windows.includes(w))?.typing?.harness.cpuPercent ?? 0;
    return {
      label,
      seconds: pick((w) => (w.endNs - w.startNs) / 1e9),
      p50Ms: pick((w) => w.latency?.latencyMs.p50),
      p99Ms: pick((w) => w.latency?.latencyMs.p99),
      maxMs: pick((w) => w.latency?.latencyMs.max),
      eventLoopDelayP99Ms: pick((w) => w.server?.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: pick((w) => w.server?.eventLoopDelayMaxMs),
      serverCpuPercent: pick((w) => w.server?.cpuPercent),
      peakRssMiB: pick((w) => (w.server ? w.server.peakRssBytes / 2 ** 20 : undefined)),
      peakTreeRssMiB: pick((w) => (w.peakTreeRssBytes ? w.peakTreeRssBytes / 2 ** 20 : undefined)),
      otherCpuPercent: pick((w) => (w.machineCpuPercent === undefined || !w.server ? undefined : Math.max(0, w.machineCpuPercent - w.server.cpuPercent - harnessCpu(w)))),
      delivered: ws.reduce((sum, w) => sum + (w.latency?.delivered ?? 0), 0),
      expected: ws.reduce((sum, w) => sum + (w.latency?.expected ?? 0), 0),
    };
  });
  return {
    scenario: scenario.name,
    label: process.env.BENCH_LABEL ?? 'concord',
    runs: records.length,
    okRuns: records.filter((r) => r.ok).length,
    editors: scenario.editors,
    typists: scenario.typists,
    editsPerSecond: options.editsPerSecond,
    imports: labels.map((label) => {
      const samples = all.flatMap((i) => i.imports.filter((s) => s.label === label));
      return {
        label,
        fileMiB: (samples[0]?.fileBytes ?? Number.NaN) / 2 ** 20,
        medianSeconds: median(samples.map((s) => s.ms / 1000)),
        statuses: [...new Set(samples.map((s) => String(s.status)))].join('/'),
      };
    }),
    windows,
    errors: records.filter((r) => r.error).map((r) => `run ${r.run}: ${r.error}`),
  };
}

function table(header: string[], body: string[][], leftColumns = 2): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

export function renderImports(s: ImportSummary): string {
  const out = [
    `import-while-editing (${s.label}) — ${s.typists} typists (+ an observer) on one document at ${s.editsPerSecond} edits/s, while 10 MiB files are imported into other documents one after the other; medians over ${s.runs} run(s), each on a fresh server`,
    ...table(
      ['scenario', 'window', 's', 'p50 ms', 'p99 ms', 'max ms', 'ELD p99 ms', 'ELD max ms', 'srv CPU', 'RSS MiB', 'RSS+conv MiB', 'other CPU', 'delivered/expected'],
      s.windows.map((w) => [
        s.scenario,
        w.label === 'baseline' ? 'no import (baseline)' : 'imports, back to back',
        fmt(w.seconds),
        fmt(w.p50Ms),
        fmt(w.p99Ms),
        fmt(w.maxMs),
        fmt(w.eventLoopDelayP99Ms),
        fmt(w.eventLoopDelayMaxMs),
        pct(w.serverCpuPercent),
        fmt(w.peakRssMiB, 0),
        fmt(w.peakTreeRssMiB, 0),
        pct(w.otherCpuPercent),
        w.expected > 0 ? `${count(w.delivered)}/${count(w.expected)}` : '—',
      ]),
    ),
    `imports (median time per file): ${s.imports.map((i) => `${i.label} ${fmt(i.fileMiB, 1)} MiB ${fmt(i.medianSeconds, 1)} s (${i.statuses})`).join(', ')}`,
  ];
  if (s.okRuns < s.runs) out.push(`runs ok: ${s.okRuns}/${s.runs}`);
  return out.join('\n');
}

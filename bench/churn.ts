/**
 * The `churn` scenario, Concord on SQLite only: where memory and the WAL go when clients keep
 * connecting and disconnecting (issue 14: "RSS went 166 → 271 MB over 5 minutes of connection churn
 * with nothing open afterwards, and is never given back"; "the WAL grows with churn").
 *
 * 1. `before`: the server with its documents created and nobody connected (--churn-idle-before, 10 s).
 * 2. `churn`: for --churn-seconds (default 300), --churn-clients (default 40) clients at a time
 *    each open a socket to one of --churn-docs (default 20) documents, sync (a real Y.Doc, the
 *    protocol of the stock provider: step 1, step 2, the document's whole content on a fresh
 *    client), type 20 characters at 20 ms with a cursor update per keystroke, ask with a sync step
 *    1 whether the server has stored them (its step 2 answers once it has), stay 0–1 s, and close;
 *    then the next session starts at once. Reconnects after a network blip, tabs opened and closed,
 *    laptops going to sleep: a working group's day, compressed.
 * 3. `after`: every socket closed; the server is left alone for --churn-idle-after (default 90 s:
 *    the rooms unload after ROOM_UNLOAD_GRACE_MS, 30 s, and the WAL is truncated after 5 s idle).
 *
 * Every second: the server's RSS split as the kernel sees it (/proc/<pid>/status: anonymous memory,
 * files mapped, shared memory) and its threads, its process.memoryUsage() (JS heap, external,
 * arrayBuffers; through bench/probe.mjs), the rooms and peers it has loaded (/healthz), and the size
 * of the -wal and database files. The table shows the curve at the phase boundaries and every 60 s;
 * `bench/results/latest.json` has every sample. Variables for the server (MALLOC_ARENA_MAX, …) are
 * passed through from the bench's environment; BENCH_CONCORD_DIR/BENCH_LABEL run another checkout.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DocTarget } from './load/framing';
import { socketOptions, socketUrl } from './load/framing';
import { MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE, awarenessMessage, benchUser, syncStep1Message, syncStep2Message, updateMessage } from './load/protocol';
import { count, fmt, log, sleep } from './orchestrator';
import type { ChurnScenario, Options, RunRecord } from './run';
import { ServerEnvironment, ServerUnderTest, logTail, type ServerName } from './servers';

export interface ChurnSample {
  /** Seconds since the first sample. */
  t: number;
  /** `after GC`: the last sample, taken after a full garbage collection (retained memory, not garbage yet to collect). */
  phase: 'before' | 'churn' | 'after' | 'after GC';
  rssBytes: number;
  /** /proc/<pid>/status: RssAnon (malloc, JS heaps), RssFile (mapped files: code, SQLite), RssShmem (SQLite's -shm). */
  rssAnonBytes: number;
  rssFileBytes: number;
  rssShmemBytes: number;
  threads: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  walBytes: number;
  dbBytes: number;
  rooms: number;
  peers: number;
  /** Sessions finished so far. */
  sessions: number;
}

export interface ChurnRecord {
  label: string;
  samples: ChurnSample[];
  sessions: number;
  /** Sessions whose edits the server confirmed stored (its step 2 answering the closing step 1). */
  confirmed: number;
  failedSessions: number;
  firstErrors: string[];
  progressLine: string;
  /** Where the RSS is at the start, and at the end (after GC), by kind of mapping (/proc/<pid>/smaps), MiB. */
  mappingsBefore?: Record<string, number>;
  mappings?: Record<string, number>;
}

/**
 * The process's resident memory by kind of mapping: glibc's main arena (`[heap]`, brk), the heaps of
 * its other arenas (anonymous, aligned to their 64 MiB reservation), other anonymous memory (V8's
 * heaps, thread stacks, large malloc chunks mapped on their own) and files.
 */
function mappingsOf(pid: number): Record<string, number> {
  const totals: Record<string, number> = { '[heap] (main malloc arena)': 0, 'thread malloc arenas': 0, 'other anonymous (V8 heaps, stacks, large chunks)': 0, files: 0 };
  let kind = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (header) {
      const start = BigInt(`0x${header[1]}`);
      const path = header[5];
      const size = Number(BigInt(`0x${header[2]}`) - start);
      if (path === '[heap]') kind = '[heap] (main malloc arena)';
      else if (path === '' && header[4] === '0') {
        if (start % BigInt(64 * 2 ** 20) === 0n && header[3].startsWith('rw')) kind = 'thread malloc arenas';
        else {
          // By size: V8 heap pages are 256 KiB (merged when adjacent); stacks 8 MiB; large malloc chunks any size.
          const bucket = size <= 256 * 1024 ? '≤256K' : size <= 2 ** 20 ? '≤1M' : size <= 8 * 2 ** 20 ? '≤8M' : size <= 64 * 2 ** 20 ? '≤64M' : '>64M';
          kind = `anonymous ${bucket}`;
          totals[kind] ??= 0;
        }
      } else kind = path.startsWith('[') ? 'other anonymous (V8 heaps, stacks, large chunks)' : 'files';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && kind) totals[kind] += Number(rss[1]) / 1024;
  }
  return totals;
}

const REMOTE = Symbol('remote');
const CHARS_PER_SESSION = 20;
const KEYSTROKE_MS = 20;

/** Reads /proc/<pid>/status's memory figures (kB) and thread count. */
function procStatus(pid: number): { rss: number; anon: number; file: number; shmem: number; threads: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem'), threads: kb('Threads') / 1024 };
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/**
 * One client session: connect, sync, type, confirm stored, linger, close. Resolves whether the server
 * confirmed the edits; rejects on a failure (refused, dropped, timed out).
 */
function session(target: DocTarget, index: number, seedBytes = 0): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(target), socketOptions(target));
    ws.binaryType = 'nodebuffer';
    const doc = new Y.Doc();
    const user = benchUser(index);
    let synced = false;
    let typed = false;
    let confirmed = false;
    let awarenessClock = 0;
    let finished = false;
    const finish = (error: Error | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      doc.destroy();
      if (error) {
        ws.terminate();
        reject(error);
      } else resolve(confirmed);
    };
    const timer = setTimeout(() => finish(new Error('session timed out (60 s)')), 60_000);
    const send = (frame: Uint8Array): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) send(updateMessage(update));
    });
    const type = async (): Promise<void> => {
      const fragment = doc.getXmlFragment('default');
      if (seedBytes > 0) {
        // The document's starting content: paragraphs of about 1 KiB, one transaction.
        doc.transact(() => {
          for (let written = 0, i = 0; written < seedBytes; i++) {
            const words = Array.from({ length: 170 }, (_, k) => ((i * 7919 + k * 104729) % 100000).toString(36)).join(' ');
            const paragraph = new Y.XmlElement('paragraph');
            paragraph.insert(0, [new Y.XmlText(words)]);
            fragment.insert(fragment.length, [paragraph]);
            written += words.length;
          }
        });
      }
      let text: Y.XmlText;
      const first = fragment.get(0);
      if (first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText) {
        text = first.get(0) as Y.XmlText;
      } else {
        const paragraph = new Y.XmlElement('paragraph');
        text = new Y.XmlText();
        paragraph.insert(0, [text]);
        fragment.insert(fragment.length, [paragraph]);
      }
      for (let i = 0; i < CHARS_PER_SESSION && !finished; i++) {
        const at = Math.floor(Math.random() * (text.length + 1));
        text.insert(at, String.fromCharCode(97 + (i % 26)));
        const cursor = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, at + 1));
        send(awarenessMessage(doc.clientID, ++awarenessClock, { user, cursor: { anchor: Array.from(cursor), head: Array.from(cursor) } }));
        await sleep(KEYSTROKE_MS);
      }
      typed = true;
      // The server answers this step 1 once everything received before it is stored.
      send(syncStep1Message(Y.encodeStateVector(doc)));
    };
    ws.on('open', () => send(syncStep1Message(Y.encodeStateVector(doc))));
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return; // awareness: not needed here
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP1) {
        send(syncStep2Message(Y.encodeStateAsUpdate(doc, payload)));
      } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        Y.applyUpdate(doc, payload, REMOTE);
        if (step !== SYNC_STEP2) return;
        if (!synced) {
          synced = true;
          void type().catch((error: Error) => finish(error));
        } else if (typed && !confirmed) {
          confirmed = true;
          // Linger a moment (reading others' edits), then leave.
          setTimeout(() => ws.close(1000), Math.random() * 1000);
        }
      }
    });
    ws.on('close', (code) => (confirmed ? finish(null) : finish(new Error(`closed by the server (${code}) before the edits were confirmed`))));
    ws.on('error', (error) => finish(error));
  });
}

export async function runChurn(scenario: ChurnScenario, serverName: ServerName, run: number, options: Options, logDir: string): Promise<RunRecord> {
  const label = process.env.BENCH_LABEL ?? serverName;
  const logFile = join(logDir, `${scenario.name}-${serverName}-run${run}.log`);
  const record: RunRecord = { scenario: scenario.name, server: serverName, run, ok: false, logFile };
  const churn: ChurnRecord = { label, samples: [], sessions: 0, confirmed: 0, failedSessions: 0, firstErrors: [], progressLine: '' };
  record.churn = churn;
  let environment: ServerEnvironment | null = null;
  let server: ServerUnderTest | null = null;
  let sampler: NodeJS.Timeout | null = null;
  try {
    environment = await ServerEnvironment.create(serverName, scenario.name);
    server = await ServerUnderTest.start(serverName, { logFile, environment });
    const docs = await server.createDocuments(options.churnDocs, 'churn');
    if (options.churnDocKiB > 0) {
      log(`churn: writing ${options.churnDocKiB} KiB of text into each of ${docs.length} documents`);
      for (const doc of docs) await session(doc[0], 0, options.churnDocKiB * 1024);
    }
    const processInfo = server.processes[0];
    const pid = processInfo.child.pid!;
    const dataDir = environment.dataDir!;
    const started = Date.now();
    let phase: ChurnSample['phase'] = 'before';
    let sampling: Promise<void> = Promise.resolve();
    const sample = async (gc = false): Promise<void> => {
      const t = (Date.now() - started) / 1000;
      const [probe, health] = await Promise.all([
        processInfo.probe(gc ? 'memory-after-gc' : 'memory', 30_000),
        fetch(`${server!.httpUrl}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.json() as Promise<{ rooms?: number; peers?: number }>),
      ]);
      const status = procStatus(pid);
      churn.samples.push({
        t,
        phase: gc ? 'after GC' : phase,
        rssBytes: status.rss,
        rssAnonBytes: status.anon,
        rssFileBytes: status.file,
        rssShmemBytes: status.shmem,
        threads: status.threads,
        heapUsedBytes: probe.memory!.heapUsed,
        heapTotalBytes: probe.memory!.heapTotal,
        externalBytes: probe.memory!.external,
        arrayBuffersBytes: probe.memory!.arrayBuffers,
        walBytes: fileSize(join(dataDir, 'concord.sqlite-wal')),
        dbBytes: fileSize(join(dataDir, 'concord.sqlite')),
        rooms: health.rooms ?? Number.NaN,
        peers: health.peers ?? Number.NaN,
        sessions: churn.sessions,
      });
    };
    const startSampling = (): void => {
      sampler = setInterval(() => {
        sampling = sampling.then(() => sample()).catch((error: Error) => log(`churn sample failed: ${error.message}`));
      }, 1000);
    };
    await sleep(300);
    await sample();
    churn.mappingsBefore = mappingsOf(pid);
    startSampling();
    await sleep(options.churnIdleBeforeSeconds * 1000);

    phase = 'churn';
    log(`churn: ${options.churnClients} clients at a time on ${docs.length} documents for ${options.churnSeconds} s`);
    const churnEnd = Date.now() + options.churnSeconds * 1000;
    let next = 0;
    const loop = async (slot: number): Promise<void> => {
      while (Date.now() < churnEnd) {
        const target = docs[Math.floor(Math.random() * docs.length)][0];
        try {
          if (await session(target, next++)) churn.confirmed++;
        } catch (error) {
          churn.failedSessions++;
          if (churn.firstErrors.length < 5) churn.firstErrors.push((error as Error).message);
          await sleep(100);
        }
        churn.sessions++;
      }
      void slot;
    };
    await Promise.all(Array.from({ length: options.churnClients }, (_, slot) => loop(slot)));

    phase = 'after';
    log(`churn: ${count(churn.sessions)} sessions (${count(churn.failedSessions)} failed); every socket closed, idle for ${options.churnIdleAfterSeconds} s`);
    await sleep(options.churnIdleAfterSeconds * 1000);
    if (sampler) clearInterval(sampler);
    sampler = null;
    await sampling;
    await sample();
    await sample(true);
    // V8 hands freed pages back on a background thread: the last sample a little later.
    await sleep(10_000);
    await sample(true);
    churn.mappings = mappingsOf(pid);

    const first = churn.samples[0];
    const last = churn.samples[churn.samples.length - 3];
    const collected = churn.samples[churn.samples.length - 1];
    const peak = Math.max(...churn.samples.map((s) => s.rssBytes));
    const mib = (bytes: number): string => fmt(bytes / 2 ** 20, 0);
    churn.progressLine = `RSS ${mib(first.rssBytes)} → peak ${mib(peak)} → ${mib(last.rssBytes)} MiB after (${mib(collected.rssBytes)} after a GC); heap ${mib(first.heapUsedBytes)} → ${mib(last.heapUsedBytes)} MiB (${mib(collected.heapUsedBytes)} after a GC); WAL ${mib(last.walBytes)} MiB; ${count(churn.sessions)} sessions, ${count(churn.failedSessions)} failed`;
    record.ok = churn.failedSessions === 0 && churn.confirmed === churn.sessions && last.rooms === 0;
    if (!record.ok) {
      record.error = [
        churn.failedSessions > 0 ? `${churn.failedSessions} sessions failed: ${churn.firstErrors.join('; ')}` : '',
        churn.confirmed !== churn.sessions ? `${churn.sessions - churn.confirmed} sessions not confirmed stored` : '',
        last.rooms !== 0 ? `${last.rooms} rooms still loaded after ${options.churnIdleAfterSeconds} s` : '',
      ]
        .filter(Boolean)
        .join('; ');
    }
  } catch (error) {
    record.ok = false;
    record.error = (error as Error).message;
    const tail = logTail(logFile, 8);
    if (tail) record.error += `\n--- ${logFile} (tail) ---\n${tail}`;
  } finally {
    if (sampler) clearInterval(sampler);
    if (server) await server.stop().catch(() => undefined);
    if (environment) await environment.remove().catch((error: Error) => log(`removing ${serverName}'s storage failed: ${error.message}`));
  }
  return record;
}

/** The curve of each run: phase boundaries, and every 60 s in between. */
export function renderChurn(records: RunRecord[]): string {
  const mib = (bytes: number): string => fmt(bytes / 2 ** 20, 1);
  const header = ['run', 't s', 'phase', 'RSS', 'anon', 'file', 'shmem', 'threads', 'heap used', 'heap total', 'external', 'arrayBuf', 'WAL', 'db', 'rooms', 'peers', 'sessions'];
  const lines: string[] = ['churn — MiB; every sample is in bench/results/latest.json (records[].churn.samples)'];
  const rows: string[][] = [];
  for (const record of records) {
    const churn = record.churn;
    if (!churn || churn.samples.length === 0) continue;
    const picked: ChurnSample[] = [];
    let lastPicked = -Infinity;
    churn.samples.forEach((s, i) => {
      const previous = churn.samples[i - 1];
      const next = churn.samples[i + 1];
      const boundary = !previous || !next || previous.phase !== s.phase || next.phase !== s.phase;
      if (boundary || s.t - lastPicked >= 60) {
        picked.push(s);
        lastPicked = s.t;
      }
    });
    for (const s of picked) {
      rows.push([
        `${churn.label} #${record.run}`,
        fmt(s.t, 0),
        s.phase,
        mib(s.rssBytes),
        mib(s.rssAnonBytes),
        mib(s.rssFileBytes),
        mib(s.rssShmemBytes),
        String(s.threads),
        mib(s.heapUsedBytes),
        mib(s.heapTotalBytes),
        mib(s.externalBytes),
        mib(s.arrayBuffersBytes),
        mib(s.walBytes),
        mib(s.dbBytes),
        String(s.rooms),
        String(s.peers),
        count(s.sessions),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 1 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  for (const record of records) {
    if (!record.churn) continue;
    lines.push(`${record.churn.label} #${record.run}: ${record.churn.progressLine}${record.ok ? '' : ` — FAILED: ${record.error}`}`);
    const { mappings, mappingsBefore } = record.churn;
    if (mappings && mappingsBefore) {
      const kinds = [...new Set([...Object.keys(mappingsBefore), ...Object.keys(mappings)])];
      lines.push(`  RSS by mapping, MiB, at the start → at the end after a GC: ${kinds.map((kind) => `${kind} ${fmt(mappingsBefore[kind] ?? 0, 1)} → ${fmt(mappings[kind] ?? 0, 1)}`).join(', ')}`);
    }
  }
  return lines.join('\n');
}

/**
 * Server-side metrics probe, preloaded into every server under test with
 * `node --import tsx --import ./bench/probe.mjs <server entry>`, so that all servers are measured the
 * same way, from inside their own process, without touching their code.
 *
 * Plain JavaScript on purpose: worker threads inherit the process's `--import` flags but not tsx's
 * loader, so a TypeScript probe would crash every worker the server starts (Concord's compaction
 * worker). In a worker thread it does nothing.
 *
 * It records, on its own timers, the event-loop delay of every 10 ms tick (what
 * perf_hooks.monitorEventLoopDelay({ resolution: 10 }) measures) and every 100 ms the RSS and CPU
 * time, all stamped with process.hrtime — CLOCK_MONOTONIC, the same clock in every process of the
 * machine. The bench asks for figures over a window given in that clock. It cannot just "reset a
 * histogram at the start": an overloaded server reads its IPC messages seconds late, so a reset
 * and a read-out can land in the same turn of its loop and measure nothing.
 *
 * IPC messages (the server is spawned with an 'ipc' stdio channel):
 *   { probe: 'sample', id }                 → { probe: 'result', id, ...ProbeSample } (now)
 *   { probe: 'window', id, startNs, endNs } → { probe: 'result', id, ...ProbeSample } (that window)
 *   { probe: 'memory', id }                 → { probe: 'result', id, ...ProbeSample, memory } (now, with
 *                                             process.memoryUsage(): heap, external, arrayBuffers;
 *                                             with gc: true, after a full garbage collection)
 * Anything else on the channel is ignored, so a server that uses IPC itself is not disturbed.
 * ProbeSample is declared in bench/servers.ts.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/** A full garbage collection on request (diagnostics: retained memory vs garbage not yet collected). */
let gc = null;
function collectGarbage() {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc');
  }
  gc();
}

/** Tick interval, as monitorEventLoopDelay's resolution. */
const TICK_MS = 10;
/** RSS and CPU are sampled every this many ticks. */
const SAMPLE_EVERY_TICKS = 10;
/** Ring buffers keep the last hour. */
const TICK_CAPACITY = (3600 * 1000) / TICK_MS;
const SAMPLE_CAPACITY = TICK_CAPACITY / SAMPLE_EVERY_TICKS;

const nowNs = () => Number(process.hrtime.bigint());

// Ticks: when each was due and how late it ran.
const tickDue = new Float64Array(TICK_CAPACITY);
const tickDelay = new Float64Array(TICK_CAPACITY);
let tickCount = 0;
// Samples: time, RSS, cumulative CPU µs.
const sampleAt = new Float64Array(SAMPLE_CAPACITY);
const sampleRss = new Float64Array(SAMPLE_CAPACITY);
const sampleCpu = new Float64Array(SAMPLE_CAPACITY);
const sampleSys = new Float64Array(SAMPLE_CAPACITY);
let sampleCount = 0;

function takeSample() {
  const i = sampleCount++ % SAMPLE_CAPACITY;
  const cpu = process.cpuUsage();
  sampleAt[i] = nowNs();
  sampleRss[i] = process.memoryUsage.rss();
  sampleCpu[i] = cpu.user + cpu.system;
  sampleSys[i] = cpu.system;
}

let due = nowNs() + TICK_MS * 1e6;
function tick() {
  const now = nowNs();
  const i = tickCount++ % TICK_CAPACITY;
  tickDue[i] = due;
  tickDelay[i] = Math.max(0, now - due);
  if (tickCount % SAMPLE_EVERY_TICKS === 0) takeSample();
  due = now + TICK_MS * 1e6;
  setTimeout(tick, TICK_MS).unref();
}
if (isMainThread) {
  takeSample();
  setTimeout(tick, TICK_MS).unref();
}

/** @returns {import('./servers').ProbeSample} */
function current() {
  const rss = process.memoryUsage.rss();
  return {
    eventLoopDelayP99Ms: 0,
    eventLoopDelayMaxMs: 0,
    rssBytes: rss,
    peakRssBytes: rss,
    cpuPercent: Number.NaN,
    cpuSystemPercent: Number.NaN,
  };
}

/** @returns {import('./servers').ProbeSample} */
function overWindow(startNs, endNs) {
  const delays = [];
  for (let k = Math.max(0, tickCount - TICK_CAPACITY); k < tickCount; k++) {
    const i = k % TICK_CAPACITY;
    // Every tick whose wait overlaps the window, including one blocked across all of it.
    if (tickDue[i] <= endNs && tickDue[i] + tickDelay[i] >= startNs) delays.push(tickDelay[i] / 1e6);
  }
  delays.sort((a, b) => a - b);
  const p99 = delays.length ? delays[Math.min(delays.length - 1, Math.ceil(0.99 * delays.length) - 1)] : Number.NaN;

  // CPU: from the last sample at or before the start to the first one at or after the end, so a
  // block of work that straddles the end (and delayed every sample) is inside.
  let peak = 0;
  let first = -1;
  let last = -1;
  for (let k = Math.max(0, sampleCount - SAMPLE_CAPACITY); k < sampleCount; k++) {
    const i = k % SAMPLE_CAPACITY;
    if (sampleAt[i] <= startNs) first = i;
    if (last < 0 && sampleAt[i] >= endNs) last = i;
    if (sampleAt[i] >= startNs && sampleAt[i] <= endNs) peak = Math.max(peak, sampleRss[i]);
  }
  if (last < 0) last = (sampleCount - 1) % SAMPLE_CAPACITY;
  const percentOfCore = (cumulativeMicros) =>
    first >= 0 && sampleAt[last] > sampleAt[first]
      ? (((cumulativeMicros[last] - cumulativeMicros[first]) * 1e3) / (sampleAt[last] - sampleAt[first])) * 100
      : Number.NaN;
  const sample = current();
  return {
    ...sample,
    eventLoopDelayP99Ms: p99,
    eventLoopDelayMaxMs: delays.length ? delays[delays.length - 1] : Number.NaN,
    peakRssBytes: Math.max(peak, sampleRss[last]),
    cpuPercent: percentOfCore(sampleCpu),
    cpuSystemPercent: percentOfCore(sampleSys),
  };
}

if (isMainThread && typeof process.send === 'function') {
  process.on('message', (message) => {
    if (typeof message !== 'object' || message === null || !('probe' in message)) return;
    const { probe, id, startNs, endNs } = message;
    if (probe === 'sample') {
      process.send?.({ probe: 'result', id, ...current() });
    } else if (probe === 'memory') {
      if (message.gc) collectGarbage();
      process.send?.({ probe: 'result', id, ...current(), memory: process.memoryUsage() });
    } else if (probe === 'window' && startNs !== undefined && endNs !== undefined) {
      // Answer after the next tick and sample: if this message waited behind a long block of work,
      // that block's delay is recorded first.
      takeSample();
      setTimeout(() => {
        takeSample();
        process.send?.({ probe: 'result', id, ...overWindow(startNs, endNs) });
      }, TICK_MS + 1);
    }
  });
  // The IPC channel must not keep a server alive that would otherwise exit.
  process.channel?.unref();
}

/**
 * What the orchestrator's parts share (bench/run.ts, bench/compare.ts): progress logging, number
 * formatting, the machine's CPU counters, and running one job in a fresh load process.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadJob, LoadResult, ParentToWorker, Phase, PhaseReply, ReplayPause, WorkerToParent } from './load/jobs';
import { REPO_ROOT, trackChild } from './servers';

export const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');
export const pct = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)}%` : '—');
export const count = (value: number): string => value.toLocaleString('en-US');

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), in clock ticks. */
export function machineCpuTicks(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal (guest is inside user)
    const idle = fields[3] + fields[4]; // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

const WORKER = join(REPO_ROOT, 'bench', 'load', 'worker.ts');

/**
 * Runs one job in a fresh load process; `onPhase` runs before the process may continue, and what it
 * returns goes back with the ack.
 */
export function runLoad<R extends LoadResult>(
  job: LoadJob,
  onPhase: (phase: Phase, atNs: number, pause?: ReplayPause) => Promise<PhaseReply | void>,
  timeoutMs: number,
): Promise<R> {
  return new Promise((resolve, reject) => {
    // BENCH_LOAD_FLAGS: extra node flags for the load processes (e.g. to profile the harness itself).
    const extraFlags = (process.env.BENCH_LOAD_FLAGS ?? '').split(' ').filter(Boolean);
    const child = fork(WORKER, [], { cwd: REPO_ROOT, execArgv: [...extraFlags, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    trackChild(child);
    let settled = false;
    const settle = (error: Error | null, result?: R): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(result!);
    };
    const timer = setTimeout(() => settle(new Error(`load process timed out after ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (message: WorkerToParent) => {
      if (message.event === 'phase') {
        onPhase(message.phase, message.atNs, message.pause)
          .catch((error: Error) => log(`${message.phase} failed: ${error.message}`))
          .then((reply) => child.connected && child.send({ cmd: 'phase-ack', phase: message.phase, ...(reply && { reply }) } satisfies ParentToWorker));
      } else if (message.event === 'result') settle(null, message.result as R);
      else if (message.event === 'error') settle(new Error(message.message));
    });
    child.on('exit', (code) => settle(new Error(`load process exited (${code}) without a result`)));
    child.send({ cmd: 'run', job } satisfies ParentToWorker);
  });
}

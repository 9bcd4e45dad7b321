import { fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FairQueue } from './fair-queue';

/**
 * A job that failed with a code the API can report (too_large, export_failed, export_timeout,
 * export_busy, too_many_requests).
 */
export class WorkerJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a job runs on: a worker thread or a child process, behind one shape. */
interface JobHost {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the host dies on its own (not when terminated). */
  onDeath(listener: (error: Error & { code?: string }) => void): void;
  terminate(): Promise<unknown>;
}

function threadHost(script: URL, workerData: unknown, maxHeapMb: number | undefined): JobHost {
  const worker = new Worker(script, {
    workerData,
    resourceLimits: maxHeapMb === undefined ? undefined : { maxOldGenerationSizeMb: maxHeapMb },
    // Don't inherit the parent's --import preloads (tsx): worker scripts are plain JavaScript.
    execArgv: [],
  });
  worker.unref();
  let terminated = false;
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onDeath(listener) {
      worker.on('error', (error) => listener(error));
      worker.on('exit', (code) => terminated || listener(new Error(`worker exited with code ${code}`)));
    },
    terminate() {
      terminated = true;
      return worker.terminate();
    },
  };
}

/**
 * A child process: its own heap (--max-old-space-size), so a job that runs out of memory ends
 * only that process. (A worker thread's resourceLimits are best effort: some allocations that
 * hit them abort the whole server, nodejs/node#47224.)
 */
function processHost(script: URL, workerData: unknown, maxHeapMb: number | undefined): JobHost {
  const child = fork(fileURLToPath(script), [], {
    execArgv: maxHeapMb === undefined ? [] : [`--max-old-space-size=${maxHeapMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.unref();
  child.channel?.unref();
  // The last of what it printed: V8 says there when it ran out of memory.
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  (child.stderr as Socket).unref();
  child.send({ init: workerData });
  let terminated = false;
  return {
    postMessage: (message) => child.send(message as object),
    onMessage: (listener) => child.on('message', listener),
    onDeath(listener) {
      child.on('error', (error) => terminated || listener(error));
      child.on('exit', (code, signal) => {
        if (terminated) return;
        const error: Error & { code?: string } = new Error(`process exited with ${signal ?? `code ${code}`}`);
        if (/heap out of memory|Allocation failed/.test(stderr)) error.code = 'ERR_WORKER_OUT_OF_MEMORY';
        listener(error);
      });
    },
    terminate() {
      terminated = true;
      child.kill('SIGKILL');
      return Promise.resolve();
    },
  };
}

interface Pending<Job, Result> {
  job: Job;
  owner: string;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

/** Who a job is for: `owner` is an account id; jobs without one are the server's own. */
export interface JobOptions {
  owner?: string;
}

/** Seconds an owner refused with `too_many_requests` is told to wait (`Retry-After`). */
export const OWNER_RETRY_AFTER_SECONDS = 5;

/** The server's own jobs share one queue owner that no account id can be. */
const queueKey = (owner: string | undefined): string => (owner === undefined ? '' : `account:${owner}`);

/**
 * A worker thread that runs one job at a time, each within a time limit. Jobs wait in a bounded
 * queue on this side, so a job's clock starts when the thread takes it. The queue is fair
 * between owners (accounts): round robin (fair-queue.ts), and at most `maxPerOwner` jobs of one
 * owner waiting or running, so one account's many jobs cannot hold back or shut out another's.
 * A job over its time is stopped by terminating the thread (a native typesetter can't be
 * interrupted otherwise); the next job gets a fresh thread. A thread that dies fails only the
 * job it was running.
 *
 * Unlike workers/JobWorker (which runs short jobs back to back without a time limit), this is for
 * jobs that may run long on hostile or huge input.
 *
 * The script receives `{ jobId, ...job }` and posts `{ jobId, result }` or
 * `{ jobId, error, code? }` (or `{ log }` for something worth logging).
 */
export class BoundedWorker<Job extends object, Result> {
  private worker: JobHost | null = null;
  private running: (Pending<Job, Result> & { jobId: number; timer: NodeJS.Timeout }) | null = null;
  private readonly queue = new FairQueue<Pending<Job, Result>>();
  private nextJobId = 1;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly script: URL,
    private readonly options: {
      workerData?: unknown;
      /** Longest a job may run once started. */
      timeoutMs: number;
      /** Most jobs waiting behind the running one; more are refused at once (`export_busy`). */
      maxQueued: number;
      /**
       * Most jobs one owner may have waiting or running; more are refused at once
       * (`too_many_requests`). Unset: no cap per owner. Jobs without an owner are not capped.
       */
      maxPerOwner?: number;
      /** A thread with no job for this long is ended (its memory returned); the next job starts a new one. */
      idleMs?: number;
      /** Run jobs on a worker thread (default) or in a child process (its own memory). */
      isolation?: 'thread' | 'process';
      /** The JavaScript heap a job may use; a job that needs more fails with `too_large`. */
      maxHeapMb?: number;
      onLog: (message: string) => void;
    },
  ) {}

  /** Jobs waiting or running. */
  get load(): number {
    return this.queue.size + (this.running ? 1 : 0);
  }

  /** Whether a thread (or process) is up: false before the first job and after an idle stop. */
  get hasThread(): boolean {
    return this.worker !== null;
  }

  /** Jobs of `owner` waiting or running. */
  loadOf(owner: string): number {
    return this.queue.load(queueKey(owner));
  }

  run(job: Job, options: JobOptions = {}): Promise<Result> {
    if (this.stopped) return Promise.reject(new WorkerJobError('export_failed', 'the server is shutting down'));
    const { maxPerOwner } = this.options;
    const owner = queueKey(options.owner);
    if (options.owner !== undefined && maxPerOwner !== undefined && this.queue.load(owner) >= maxPerOwner) {
      return Promise.reject(
        new WorkerJobError('too_many_requests', `you already have ${maxPerOwner} exports or imports waiting or running; try again when one has finished`),
      );
    }
    if (this.queue.size >= this.options.maxQueued) {
      return Promise.reject(new WorkerJobError('export_busy', 'too many exports are waiting; try again in a minute'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push(owner, { job, owner, resolve, reject });
      this.next();
    });
  }

  /** Lets the running and queued jobs finish, then ends the thread. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.load > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private next(): void {
    if (this.running) return;
    const taken = this.queue.shift();
    if (!taken) return this.armIdleTimer();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const pending = taken.item;
    const worker = this.worker ?? this.start();
    const jobId = this.nextJobId++;
    const timer = setTimeout(() => {
      if (this.running?.jobId !== jobId) return;
      this.options.onLog(`job ${jobId} ran over ${this.options.timeoutMs} ms; worker terminated`);
      // The thread is busy in native code: end it (first, so the next job starts a new one).
      if (this.worker === worker) this.worker = null;
      void worker.terminate();
      const limit = this.options.timeoutMs >= 1000 ? `${Math.round(this.options.timeoutMs / 1000)} s` : `${this.options.timeoutMs} ms`;
      this.finish(new WorkerJobError('export_timeout', `typesetting took longer than ${limit} and was stopped`));
    }, this.options.timeoutMs);
    this.running = { ...pending, jobId, timer };
    worker.postMessage({ ...pending.job, jobId });
  }

  private armIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    if (this.options.idleMs === undefined || !worker) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker !== worker || this.running || this.queue.size > 0) return;
      this.worker = null;
      void worker.terminate();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Settles the running job and starts the next one. */
  private finish(outcome: Error | { result: Result }): void {
    const running = this.running;
    if (!running) return;
    clearTimeout(running.timer);
    this.running = null;
    this.queue.done(running.owner);
    if (outcome instanceof Error) running.reject(outcome);
    else running.resolve(outcome.result);
    this.next();
  }

  private start(): JobHost {
    const { isolation = 'thread', workerData, maxHeapMb } = this.options;
    const worker = (isolation === 'process' ? processHost : threadHost)(this.script, workerData, maxHeapMb);
    worker.onMessage((raw) => {
      const message = raw as { jobId?: number; result?: Result; error?: string; code?: string; log?: string };
      if (message.log !== undefined) return this.options.onLog(message.log);
      if (this.worker !== worker || this.running?.jobId !== message.jobId) return;
      if (message.error !== undefined) this.finish(new WorkerJobError(message.code ?? 'export_failed', message.error));
      else this.finish({ result: message.result as Result });
    });
    worker.onDeath((error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      void worker.terminate();
      this.options.onLog(`worker ${this.script.pathname.split('/').pop()} stopped: ${error.message}`);
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.finish(new WorkerJobError('too_large', `this needs more memory than the server allows for one job${maxHeapMb ? ` (${maxHeapMb} MB)` : ''}`));
      } else {
        this.finish(new WorkerJobError('export_failed', `the worker stopped unexpectedly (${error.message})`));
      }
    });
    this.worker = worker;
    return worker;
  }
}

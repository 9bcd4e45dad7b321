import { Worker, type ResourceLimits } from 'node:worker_threads';

/** A job that failed with a code the API can report (too_large, export_failed, export_timeout, export_busy). */
export class WorkerJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending<Job, Result> {
  job: Job;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

/**
 * A worker thread that runs one job at a time, each within a time limit. Jobs wait in a bounded
 * queue on this side, so a job's clock starts when the thread takes it. A job over its time is
 * stopped by terminating the thread (a native typesetter can't be interrupted otherwise); the
 * next job gets a fresh thread. A thread that dies fails only the job it was running.
 *
 * Unlike workers/JobWorker (which runs short jobs back to back without a time limit), this is for
 * jobs that may run long on hostile or huge input.
 *
 * The script receives `{ jobId, ...job }` and posts `{ jobId, result }` or
 * `{ jobId, error, code? }` (or `{ log }` for something worth logging).
 */
export class BoundedWorker<Job extends object, Result> {
  private worker: Worker | null = null;
  private running: (Pending<Job, Result> & { jobId: number; timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Pending<Job, Result>[] = [];
  private nextJobId = 1;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly script: URL,
    private readonly options: {
      workerData?: unknown;
      /** Longest a job may run once started. */
      timeoutMs: number;
      /** Most jobs waiting behind the running one; more are refused at once. */
      maxQueued: number;
      /** A thread with no job for this long is ended (its memory returned); the next job starts a new one. */
      idleMs?: number;
      /** The thread's JavaScript heap bounds; a job that needs more fails with `too_large`. */
      resourceLimits?: ResourceLimits;
      onLog: (message: string) => void;
    },
  ) {}

  /** Jobs waiting or running. */
  get load(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  run(job: Job): Promise<Result> {
    if (this.stopped) return Promise.reject(new WorkerJobError('export_failed', 'the server is shutting down'));
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new WorkerJobError('export_busy', 'too many exports are waiting; try again in a minute'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
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
    if (this.queue.length === 0) return this.armIdleTimer();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const pending = this.queue.shift()!;
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
      if (this.worker !== worker || this.running || this.queue.length > 0) return;
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
    if (outcome instanceof Error) running.reject(outcome);
    else running.resolve(outcome.result);
    this.next();
  }

  private start(): Worker {
    const worker = new Worker(this.script, {
      workerData: this.options.workerData,
      resourceLimits: this.options.resourceLimits,
      // Don't inherit the parent's --import preloads (tsx): worker scripts are plain JavaScript.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (message: { jobId?: number; result?: Result; error?: string; code?: string; log?: string }) => {
      if (message.log !== undefined) return this.options.onLog(message.log);
      if (this.worker !== worker || this.running?.jobId !== message.jobId) return;
      if (message.error !== undefined) this.finish(new WorkerJobError(message.code ?? 'export_failed', message.error));
      else this.finish({ result: message.result as Result });
    });
    const onDeath = (error: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.options.onLog(`worker ${this.script.pathname.split('/').pop()} stopped: ${error.message}`);
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const limit = this.options.resourceLimits?.maxOldGenerationSizeMb;
        this.finish(new WorkerJobError('too_large', `this needs more memory than the server allows for one job${limit ? ` (${limit} MB)` : ''}`));
      } else {
        this.finish(new WorkerJobError('export_failed', `the worker stopped unexpectedly (${error.message})`));
      }
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => onDeath(new Error(`worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

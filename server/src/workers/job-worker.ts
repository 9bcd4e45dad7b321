import { Worker } from 'node:worker_threads';

/**
 * A worker thread that runs jobs one message at a time and answers each job's promise. The
 * script receives `{ jobId, ...job }` and posts `{ jobId, result }` or `{ jobId, error }` (or
 * `{ log }` for something worth logging). A thread that dies fails its pending jobs and is
 * replaced on the next job, so no caller waits on a thread that is gone.
 */
export class JobWorker<Job extends object, Result> {
  private worker: Worker | null = null;
  private nextJobId = 1;
  private readonly jobs = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly script: URL,
    private readonly options: { workerData?: unknown; onLog: (message: string) => void; startNow?: boolean },
  ) {
    if (options.startNow) this.start();
  }

  run(job: Job, transfer: ArrayBuffer[] = []): Promise<Result> {
    const worker = this.worker ?? this.start();
    const jobId = this.nextJobId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(jobId, { resolve, reject });
      worker.postMessage({ ...job, jobId }, transfer);
    });
  }

  /** Lets queued jobs finish, then ends the thread. */
  async stop(): Promise<void> {
    while (this.jobs.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.script, {
      workerData: this.options.workerData,
      // Don't inherit the parent's --import preloads (tsx, agents): a worker thread can't load
      // TypeScript on Node 20, and the worker scripts are plain JavaScript anyway.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (message: { jobId?: number; result?: Result; error?: string; log?: string }) => {
      if (message.log !== undefined) return this.options.onLog(message.log);
      const job = this.jobs.get(message.jobId!);
      this.jobs.delete(message.jobId!);
      if (message.error !== undefined) job?.reject(new Error(message.error));
      else job?.resolve(message.result as Result);
    });
    const onDeath = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.options.onLog(`worker ${this.script.pathname.split('/').pop()} stopped: ${error.message}`);
      for (const job of this.jobs.values()) job.reject(error);
      this.jobs.clear();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => onDeath(new Error(`worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

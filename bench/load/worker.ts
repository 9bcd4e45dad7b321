/**
 * Load process: started by bench/run.ts as `node --import tsx bench/load/worker.ts` with an IPC
 * channel, separate from the server under test, so the client load and the server's own resources
 * are measured apart. Runs one job, reports phases (the orchestrator probes the server then) and the
 * result, and exits.
 */
import type { LoadJob, LoadResult, ParentToWorker, Phase, PhaseReply, ReplayPause, WorkerToParent } from './jobs';
import { runReplay, runVerifyTrace } from './replay';
import { runTyping } from './typing';

if (typeof process.send !== 'function') {
  console.error('bench/load/worker.ts is started by bench/run.ts (it needs an IPC channel)');
  process.exit(2);
}

// One WebsocketProvider per document registers an 'exit' listener each.
process.setMaxListeners(0);

const send = (message: WorkerToParent): Promise<void> =>
  new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));

const pendingAcks = new Map<Phase, (reply: PhaseReply | undefined) => void>();

function phase(name: Phase, pause?: ReplayPause): Promise<PhaseReply | undefined> {
  return new Promise((resolve) => {
    pendingAcks.set(name, resolve);
    void send({ event: 'phase', phase: name, atNs: Number(process.hrtime.bigint()), ...(pause && { pause }) });
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'typing':
      return runTyping(job, phase);
    case 'replay':
      return runReplay(job, phase);
    case 'verify-trace':
      return runVerifyTrace(job);
  }
}

process.on('message', (message: ParentToWorker) => {
  if (message.cmd === 'phase-ack') {
    pendingAcks.get(message.phase)?.(message.reply);
    pendingAcks.delete(message.phase);
  } else if (message.cmd === 'run') {
    run(message.job)
      .then((result) => send({ event: 'result', result }))
      .catch((error: Error) => send({ event: 'error', message: error.stack ?? String(error) }))
      // A moment for the clients' close frames to go out, so servers see orderly disconnects.
      .finally(() => setTimeout(() => process.exit(0), 200));
  }
});

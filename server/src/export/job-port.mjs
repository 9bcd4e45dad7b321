// The channel a job script (convert-worker.mjs, pdf-worker.mjs) talks over, the same whether it
// runs on a worker thread or in a child process (see bounded-worker.ts): `parentPort` to receive
// jobs and post results, `workerData` for its settings. Plain JavaScript, like the scripts.
import { parentPort as threadPort, workerData as threadData } from 'node:worker_threads';

/** In a child process the settings arrive as the first message, `{ init }`, before any job. */
const processData = {};
const processListeners = [];
if (!threadPort) {
  process.on('message', (message) => {
    if (message && typeof message === 'object' && 'init' in message) Object.assign(processData, message.init);
    else for (const listener of processListeners) listener(message);
  });
  // The parent going away ends this process too.
  process.on('disconnect', () => process.exit(0));
}

export const parentPort = threadPort ?? {
  on(event, listener) {
    if (event === 'message') processListeners.push(listener);
  },
  postMessage(message) {
    process.send(message);
  },
};

export const workerData = threadPort ? threadData : processData;

export { JobWorker } from './job-worker';

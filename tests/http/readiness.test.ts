/** readinessChecker: what /readyz says, from fakes of the store and the fan-out. */
import { expect, it } from 'vitest';
import { readinessChecker } from '../../server/src/http/readiness';

const never = () => new Promise<void>(() => {});

it('ready when the store answers and the fan-out is connected', async () => {
  const check = readinessChecker({ store: { checkReady: async () => {} }, fanout: { isConnected: () => true }, deadlineMs: 1000, stopping: () => false });
  expect(await check()).toEqual({ status: 'ready' });
  // A store or fan-out without checks (one process, tests' wrapped stores) counts as ready.
  expect(await readinessChecker({ store: {}, fanout: {}, deadlineMs: 1000, stopping: () => false })()).toEqual({ status: 'ready' });
});

it('names every reason it is not ready', async () => {
  let connected = false;
  let stopping = true;
  const failing = Object.assign(new Error('disk full: 0 bytes free'), { code: 'ENOSPC' });
  const check = readinessChecker({
    store: { checkReady: async () => Promise.reject(failing) },
    fanout: { isConnected: () => connected },
    deadlineMs: 1000,
    stopping: () => stopping,
  });
  expect(await check()).toEqual({ status: 'not_ready', reasons: ['shutting down', 'fan-out (Redis) not connected', 'store: disk full: 0 bytes free'] });
  connected = true;
  stopping = false;
  expect(await check()).toEqual({ status: 'not_ready', reasons: ['store: disk full: 0 bytes free'] });
});

it('a store that does not answer is not ready once the deadline passes; checks asked meanwhile share one', async () => {
  let calls = 0;
  const check = readinessChecker({
    store: {
      checkReady: () => {
        calls++;
        return never();
      },
    },
    fanout: {},
    deadlineMs: 200,
    stopping: () => false,
  });
  const answers = await Promise.all([check(), check(), check()]);
  expect(calls).toBe(1);
  for (const answer of answers) expect(answer).toEqual({ status: 'not_ready', reasons: ['store: no answer within 200 ms'] });
  await check();
  expect(calls).toBe(2);
});

/** StoreOutageLog: one line when a store outage starts, one when it ends, not one per try. */
import { expect, it } from 'vitest';
import type { Logger } from 'pino';
import { StoreOutageLog } from '../../server/src/store/index';

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  const log = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } as unknown as Logger;
  return { log, lines };
}

const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

it('logs an outage once when it starts and once when it ends, however many tries fail', () => {
  let now = 1_000_000;
  const { log, lines } = recordingLogger();
  const outage = new StoreOutageLog(log, { fields: { component: 'test' }, now: () => now });

  outage.succeeded(); // nothing to end
  expect(lines).toEqual([]);
  for (let i = 0; i < 60; i++) {
    expect(outage.failed(i % 2 ? down : full, 'storing update failed', { doc: 'd1' })).toBe(true);
    now += 1000;
  }
  expect(outage.failing).toBe(true);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 'error', fields: { component: 'test', doc: 'd1', outage: 'started', err: full } });
  expect(lines[0].message).toMatch(/^store unavailable: storing update failed/);

  outage.succeeded({ doc: 'd1' });
  expect(outage.failing).toBe(false);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatchObject({ level: 'warn', fields: { component: 'test', outage: 'ended', failures: 60, seconds: 60 } });
  expect(lines[1].message).toBe('store is back after 60 s (60 failed tries)');

  // A second outage is a new episode.
  outage.failed(down, 'storing update failed');
  outage.failed(down, 'storing update failed');
  outage.succeeded();
  expect(lines.map((line) => line.fields.outage)).toEqual(['started', 'ended', 'started', 'ended']);
});

it('reminds at most every remindEveryMs while an outage lasts', () => {
  let now = 0;
  const { log, lines } = recordingLogger();
  const outage = new StoreOutageLog(log, { remindEveryMs: 60_000, now: () => now });
  for (let second = 0; second <= 180; second++) {
    outage.failed(down, 'compaction failed');
    now += 1000;
  }
  expect(lines.map((line) => line.fields.outage)).toEqual(['started', 'continuing', 'continuing', 'continuing']);
  expect(lines[1].message).toBe('store still unavailable after 60 s (61 failed tries): compaction failed');
});

it('errors that are not an outage are logged each time and start no episode', () => {
  const { log, lines } = recordingLogger();
  const outage = new StoreOutageLog(log);
  const bug = new TypeError('cannot read properties of undefined');
  expect(outage.failed(bug, 'indexing citations failed')).toBe(false);
  expect(outage.failed(bug, 'indexing citations failed')).toBe(false);
  expect(outage.failing).toBe(false);
  expect(lines.map((line) => [line.level, line.message])).toEqual([
    ['error', 'indexing citations failed'],
    ['error', 'indexing citations failed'],
  ]);
  outage.succeeded();
  expect(lines).toHaveLength(2);
});

/**
 * A PostgreSQL server of the test's own (the machine's PostgreSQL binaries, a fresh data folder,
 * a free port), so a test can stop and start it without touching the shared one. Runs as the
 * `postgres` user when the tests run as root (PostgreSQL refuses to run as root).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

const BIN = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1)!, 'bin');

/** Runs a PostgreSQL binary as the postgres user (when root) or as ourselves. */
function run(binary: string, args: string[]): void {
  const command = join(BIN, binary);
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' });
  else execFileSync(command, args, { stdio: 'ignore' });
}

/** The processes `pid` started (pgrep -P). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  start(): void;
  /** Stops it at once (immediate shutdown: connections drop as in a crash). */
  stop(): void;
  /**
   * Freezes it (SIGSTOP to the server and every backend): connections stay open and nothing
   * answers, as with a hung host or a partition, not a refusal.
   */
  pause(): void;
  /** Lets it run again (SIGCONT) after pause(). */
  resume(): void;
  /** Stops it and removes nothing else (the folder is in the temp dir). */
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'concord-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  let running = false;
  let paused: number[] = [];
  const postgres: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      if (running) return;
      run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      running = true;
    },
    stop() {
      if (!running) return;
      run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
      running = false;
    },
    pause() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // The postmaster first, so it forks nothing new; then every backend and helper it started.
      process.kill(postmaster, 'SIGSTOP');
      paused = [postmaster, ...childrenOf(postmaster)];
      for (const pid of paused.slice(1)) process.kill(pid, 'SIGSTOP');
    },
    resume() {
      for (const pid of paused.reverse()) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone meanwhile
        }
      }
      paused = [];
    },
    destroy() {
      postgres.resume();
      postgres.stop();
    },
  };
  postgres.start();
  return postgres;
}

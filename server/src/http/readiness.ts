import type { RequestHandler } from 'express';
import type { Fanout } from '../fanout/index';
import type { Store } from '../store/index';

export interface ReadinessDeps {
  store: Pick<Store, 'checkReady'>;
  fanout: Pick<Fanout, 'isConnected'>;
  /** The store's check must answer within this, or the process counts as not ready. */
  deadlineMs: number;
  /** True once the process is shutting down: not ready, so balancers stop sending it requests. */
  stopping: () => boolean;
}

export type Readiness = { status: 'ready' } | { status: 'not_ready'; reasons: string[] };

/** Rejects with `message` after `ms` unless `promise` settles first. */
function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Whether this process can store right now: the store answers a cheap check within the deadline
 * (PostgreSQL reachable; SQLite's disk not full), the fan-out is connected when there is one, and
 * the process is not shutting down. Checks asked for while one runs share it (balancers poll often).
 */
export function readinessChecker(deps: ReadinessDeps): () => Promise<Readiness> {
  let running: Promise<Readiness> | null = null;
  const check = async (): Promise<Readiness> => {
    const reasons: string[] = [];
    if (deps.stopping()) reasons.push('shutting down');
    if (deps.fanout.isConnected && !deps.fanout.isConnected()) reasons.push('fan-out (Redis) not connected');
    if (deps.store.checkReady) {
      try {
        await withDeadline(deps.store.checkReady(), deps.deadlineMs, `no answer within ${deps.deadlineMs} ms`);
      } catch (error) {
        reasons.push(`store: ${(error as Error)?.message ?? String(error)}`);
      }
    }
    return reasons.length === 0 ? { status: 'ready' } : { status: 'not_ready', reasons };
  };
  return () => (running ??= check().finally(() => (running = null)));
}

/** GET /readyz: 200 {"status":"ready"} or 503 {"status":"not_ready","reasons":[…]}, never cached. */
export function readinessRoute(deps: ReadinessDeps): RequestHandler {
  const ready = readinessChecker(deps);
  return (_request, response, next) => {
    ready()
      .then((readiness) => {
        response
          .status(readiness.status === 'ready' ? 200 : 503)
          .set('Cache-Control', 'no-store')
          .json(readiness);
      })
      .catch(next);
  };
}

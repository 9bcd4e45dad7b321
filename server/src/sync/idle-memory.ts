import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection of this thread's heap; false where it can't (then it does nothing).
 *
 * For the moment the process goes idle (the last document unloaded): V8 collects only when the
 * program allocates, so a server nobody uses any more keeps the garbage of its last busy minutes
 * (documents loaded and unloaded, every client's sync answer: tens to hundreds of MB after
 * connection churn) for as long as it stays idle, and its RSS with it. One collection then, when
 * nobody waits on the event loop, hands that memory back (bench/README.md, the churn scenario).
 *
 * `global.gc` needs --expose-gc; without it (npm start does not pass V8 flags) the flag is set now
 * and the function taken from a fresh context, which gets it (the way test runners do).
 */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (typeof exposed === 'function') collect = exposed;
      else {
        setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc') as unknown;
        collect = typeof gc === 'function' ? (gc as () => void) : null;
      }
    } catch {
      collect = null;
    }
  }
  collect?.();
  return collect !== null;
}

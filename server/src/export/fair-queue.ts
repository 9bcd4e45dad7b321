/**
 * Waiting jobs of many owners (accounts), served round robin: the next job is the oldest one of
 * the owner served least recently (owners never served, or not for a while, first; among them,
 * the one waiting longest). So an owner with many jobs waiting gets every other turn at most
 * while anyone else waits: a waiting owner is passed by each other owner at most once before its
 * own turn. Each owner's jobs run in the order they came.
 *
 * The queue also counts each owner's jobs in flight (waiting, or taken and not yet `done`), for
 * per-owner caps.
 */
export class FairQueue<T> {
  /** Waiting items per owner, oldest first, each with its arrival number. */
  private readonly waiting = new Map<string, { item: T; arrival: number }[]>();
  /** Jobs per owner waiting or taken and not done. */
  private readonly inFlight = new Map<string, number>();
  /** When each owner was last served (a serve number); forgotten once it can no longer matter. */
  private readonly lastServed = new Map<string, number>();
  private arrivals = 0;
  private serves = 0;
  private waitingCount = 0;

  /** Items waiting, of every owner. */
  get size(): number {
    return this.waitingCount;
  }

  /** The owner's jobs waiting, or taken and not yet done. */
  load(owner: string): number {
    return this.inFlight.get(owner) ?? 0;
  }

  push(owner: string, item: T): void {
    const list = this.waiting.get(owner);
    const entry = { item, arrival: this.arrivals++ };
    if (list) list.push(entry);
    else this.waiting.set(owner, [entry]);
    this.waitingCount++;
    this.inFlight.set(owner, this.load(owner) + 1);
  }

  /** Takes the next item (it stays in its owner's load until `done`). */
  shift(): { owner: string; item: T } | undefined {
    let best: { owner: string; served: number; arrival: number } | undefined;
    for (const [owner, list] of this.waiting) {
      const served = this.lastServed.get(owner) ?? -1;
      const { arrival } = list[0];
      if (!best || served < best.served || (served === best.served && arrival < best.arrival)) best = { owner, served, arrival };
    }
    if (!best) return undefined;
    const list = this.waiting.get(best.owner)!;
    const { item } = list.shift()!;
    if (list.length === 0) this.waiting.delete(best.owner);
    this.waitingCount--;
    this.lastServed.set(best.owner, this.serves++);
    return { owner: best.owner, item };
  }

  /** A taken item of `owner` has finished. */
  done(owner: string): void {
    const load = this.load(owner) - 1;
    if (load > 0) this.inFlight.set(owner, load);
    else this.inFlight.delete(owner);
    this.forgetIdle();
  }

  /** Owners remembered as served (for tests: none once nothing is in flight). */
  get remembered(): number {
    return this.lastServed.size;
  }

  /**
   * Forgets when idle owners were served, once that cannot change any order: an idle owner
   * served before every waiting owner ranks before them either way.
   */
  private forgetIdle(): void {
    let oldestWaiting = Infinity;
    for (const owner of this.waiting.keys()) oldestWaiting = Math.min(oldestWaiting, this.lastServed.get(owner) ?? -1);
    for (const [owner, served] of this.lastServed) {
      if (!this.inFlight.has(owner) && served < oldestWaiting) this.lastServed.delete(owner);
    }
  }
}

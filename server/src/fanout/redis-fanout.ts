import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Fanout } from './fanout';

/** Channel names in Redis are prefixed, so several installations can share one Redis. */
const CHANNEL_PREFIX = 'concord:';
/** Each process tags what it publishes, to skip its own messages when they come back. */
const SENDER_BYTES = 8;
/** Gaps reported by both connections at once are one gap. */
const GAP_DEBOUNCE_MS = 50;

/**
 * Fan-out over Redis pub/sub: one connection publishes, one subscribes. Redis keeps nothing for
 * a subscriber that was away, so every reconnect of either connection is a gap: this process may
 * have missed messages, and the others may have missed this one's.
 */
export class RedisFanout implements Fanout {
  private readonly sender = randomBytes(SENDER_BYTES);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<(message: Uint8Array) => void>>();
  private readonly gapListeners = new Set<() => void>();
  private gapTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(url: string, private readonly log: Logger) {
    const options = {
      // Commands fail at once while disconnected instead of queueing without bound.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Subscriptions are renewed here on every reconnect (see onReady).
      autoResubscribe: false,
      retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2000),
      lazyConnect: true,
    };
    this.publisher = new Redis(url, { ...options, connectionName: 'concord-publish' });
    this.subscriber = new Redis(url, { ...options, connectionName: 'concord-subscribe' });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel.toString(), message));
    for (const [name, connection] of [['publish', this.publisher], ['subscribe', this.subscriber]] as const) {
      let wasReady = false;
      connection.on('ready', () => {
        const reconnected = wasReady;
        wasReady = true;
        // The gap is reported once subscribed again, so nothing after the catch-up is missed.
        const subscribed = connection === this.subscriber ? this.resubscribeAll() : Promise.resolve();
        if (reconnected) void subscribed.then(() => this.reportGap());
      });
      connection.on('error', (error: Error) => log.warn({ err: error, connection: name }, 'redis connection error'));
      connection.on('end', () => this.closed || log.error({ connection: name }, 'redis connection ended'));
      connection.on('reconnecting', () => log.warn({ connection: name }, 'redis unreachable: reconnecting'));
    }
  }

  /** Connects both connections; a Redis that is down at start is an error (the operator asked for it). */
  static async connect(url: string, log: Logger): Promise<RedisFanout> {
    const fanout = new RedisFanout(url, log);
    try {
      await Promise.all([fanout.publisher.connect(), fanout.subscriber.connect()]);
    } catch (error) {
      fanout.closed = true;
      fanout.publisher.disconnect();
      fanout.subscriber.disconnect();
      throw new Error(`cannot reach Redis at REDIS_URL: ${(error as Error).message}`);
    }
    return fanout;
  }

  async subscribe(channel: string, listener: (message: Uint8Array) => void): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      if (this.subscriber.status === 'ready') {
        await this.subscriber.subscribe(CHANNEL_PREFIX + channel).catch((error: Error) => this.log.warn({ err: error, channel }, 'redis subscribe failed; retried on reconnect'));
      }
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size > 0 || this.listeners.get(channel) !== set) return;
      this.listeners.delete(channel);
      if (this.subscriber.status === 'ready') void this.subscriber.unsubscribe(CHANNEL_PREFIX + channel).catch(() => {});
    };
  }

  publish(channel: string, message: Uint8Array): void {
    if (this.publisher.status !== 'ready') return;
    const tagged = Buffer.concat([this.sender, message]);
    this.publisher.publish(CHANNEL_PREFIX + channel, tagged).catch((error: Error) => {
      this.log.warn({ err: error, channel }, 'redis publish failed');
      this.reportGap();
    });
  }

  isConnected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  private deliver(prefixedChannel: string, message: Buffer): void {
    if (message.length < SENDER_BYTES || message.subarray(0, SENDER_BYTES).equals(this.sender)) return;
    const listeners = this.listeners.get(prefixedChannel.slice(CHANNEL_PREFIX.length));
    if (!listeners) return;
    const body = new Uint8Array(message.buffer, message.byteOffset + SENDER_BYTES, message.length - SENDER_BYTES);
    for (const listener of listeners) {
      try {
        listener(body);
      } catch (error) {
        this.log.error({ err: error, channel: prefixedChannel }, 'fan-out message could not be applied');
      }
    }
  }

  private async resubscribeAll(): Promise<void> {
    const channels = [...this.listeners.keys()].map((channel) => CHANNEL_PREFIX + channel);
    if (channels.length === 0) return;
    await this.subscriber.subscribe(...channels).catch((error: Error) => this.log.warn({ err: error }, 'redis resubscribe failed'));
  }

  private reportGap(): void {
    if (this.gapTimer || this.closed) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      this.log.info('redis is back: catching up from storage');
      for (const listener of this.gapListeners) listener();
    }, GAP_DEBOUNCE_MS);
    this.gapTimer.unref();
  }
}

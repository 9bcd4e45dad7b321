import type { Logger } from 'pino';
import type { Config } from '../config';
import { singleProcess, type Fanout } from './fanout';
import { RedisFanout } from './redis-fanout';

/** The configured fan-out: Redis when REDIS_URL is set, otherwise none (one process). */
export async function openFanout(config: Pick<Config, 'redisUrl'>, log: Logger): Promise<Fanout> {
  if (config.redisUrl === undefined) return singleProcess;
  // The URL is not logged: it may carry a password.
  log.info({ fanout: 'redis' }, 'sharing documents with other processes through Redis (REDIS_URL)');
  return RedisFanout.connect(config.redisUrl, log);
}

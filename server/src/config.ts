import { resolve } from 'node:path';
import { z } from 'zod';

const MiB = 1024 * 1024;

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest websocket frame accepted; larger ones close that socket with 1009. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(4 * MiB),
  /** Unsent data a connection may pile up before it is dropped as too slow. */
  MAX_BUFFERED_BYTES: z.coerce.number().int().min(64 * 1024).default(16 * MiB),
  ROOM_UNLOAD_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(500),
  KEEPALIVE_MS: z.coerce.number().int().min(1000).default(30_000),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** Set: store everything in this PostgreSQL database instead of the SQLite file in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Set: several server processes share documents live through this Redis (with DATABASE_URL). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Built client (vite build output). */
  CLIENT_DIR: z.string().default('./dist/client'),
  /**
   * The origin people open the app at (scheme://host[:port]), e.g. https://concord.example.org.
   * Browsers' requests and sockets from other origins are refused. Default: this machine's
   * loopback names on PORT.
   */
  PUBLIC_ORIGIN: z
    .url({ message: 'must be an origin such as https://concord.example.org' })
    .refine((value) => new URL(value).origin === value.replace(/\/$/, ''), 'must be an origin only: scheme://host[:port], no path')
    .transform((value) => new URL(value).origin)
    .optional(),
  /** An automatic checkpoint of a document is taken once its editing pauses this long… */
  CHECKPOINT_AFTER_PAUSE_MS: z.coerce.number().int().min(50).default(120_000),
  /** …and at least this often while it is being edited. */
  CHECKPOINT_EVERY_MS: z.coerce.number().int().min(1000).default(3_600_000),
  /** invite: only the first account and people with an invite link may sign up. open: anyone may. */
  SIGNUP: z.enum(['invite', 'open']).default('invite'),
  /** Express "trust proxy" setting, for the client address behind a load balancer (rate limits use it). */
  TRUST_PROXY: z.string().optional(),
}).refine((e) => e.REDIS_URL === undefined || e.DATABASE_URL !== undefined, {
  path: ['REDIS_URL'],
  message: 'needs DATABASE_URL too: processes that share documents must share one database',
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  maxMessageBytes: number;
  maxBufferedBytes: number;
  roomUnloadGraceMs: number;
  compactAfterUpdates: number;
  keepaliveMs: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  clientDir: string;
  publicOrigin: string | undefined;
  checkpointAfterPauseMs: number;
  checkpointEveryMs: number;
  openSignup: boolean;
  trustProxy: string | undefined;
}

/** Reads configuration from environment variables; throws a readable error naming bad ones. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    roomUnloadGraceMs: e.ROOM_UNLOAD_GRACE_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    keepaliveMs: e.KEEPALIVE_MS,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    clientDir: resolve(e.CLIENT_DIR),
    publicOrigin: e.PUBLIC_ORIGIN,
    checkpointAfterPauseMs: e.CHECKPOINT_AFTER_PAUSE_MS,
    checkpointEveryMs: e.CHECKPOINT_EVERY_MS,
    openSignup: e.SIGNUP === 'open',
    trustProxy: e.TRUST_PROXY,
  };
}

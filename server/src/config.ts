import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../shared/api/index';

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
  /** On SIGTERM/SIGINT, how long open sockets get to finish their close handshake (their frames still handled). */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(2_000),
  /** On SIGTERM/SIGINT, the process exits after this long even if the store hangs (saying what it could not store). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  /** Bytes of edits one document may hold while the store is behind, before its editors' sockets are no longer read (back-pressure). */
  UNSTORED_BYTES_PER_ROOM: z.coerce.number().int().min(64 * 1024).default(8 * MiB),
  /** The same for all documents of this process together. */
  UNSTORED_BYTES_PER_PROCESS: z.coerce.number().int().min(64 * 1024).default(64 * MiB),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** Set: store everything in this PostgreSQL database instead of the SQLite file in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Deadline of every call to the store (connecting, a statement, an idle transaction); beyond, 503 store_unavailable. */
  STORE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
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
  /** Most collaboration sockets one account may have open (or being opened) on this process. */
  COLLAB_MAX_SOCKETS_PER_ACCOUNT: z.coerce.number().int().min(1).default(50),
  /** …and one client address (a meeting room behind one NAT shares an address). */
  COLLAB_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).default(200),
  /** Most websocket upgrades being checked at once; more are refused with 503 until some finish. */
  COLLAB_MAX_PENDING_UPGRADES: z.coerce.number().int().min(1).default(500),
  /** An upgrade not decided within this is refused with 503 (a store that hangs, say). */
  COLLAB_UPGRADE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** A request's headers must arrive within this (slow-header clients are dropped with 408). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** A whole request, body included, must arrive within this (0: no limit). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  /** An idle keep-alive connection is closed after this (Node reads 0 as never: not allowed). */
  HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Requests per second a personal access token may make, on average… */
  TOKEN_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  /** …and in a burst. */
  TOKEN_RATE_BURST: z.coerce.number().int().min(1).default(60),
  /** Exports and imports one account may have waiting or running in each worker's queue (PDF; conversions). */
  EXPORT_JOBS_PER_ACCOUNT: z.coerce.number().int().min(1).default(3),
  /** What imports may expand to, and what a document may hold to be imported or exported (shared/api/import.ts). */
  IMPORT_MAX_UNZIPPED_BYTES: z.coerce.number().int().min(64 * 1024).default(DEFAULT_IMPORT_LIMITS.maxUnzippedBytes),
  IMPORT_MAX_ZIP_ENTRIES: z.coerce.number().int().min(10).default(DEFAULT_IMPORT_LIMITS.maxZipEntries),
  DOCUMENT_MAX_CHARACTERS: z.coerce.number().int().min(1000).default(DEFAULT_IMPORT_LIMITS.maxCharacters),
  DOCUMENT_MAX_NODES: z.coerce.number().int().min(100).default(DEFAULT_IMPORT_LIMITS.maxNodes),
  DOCUMENT_MAX_TABLE_CELLS: z.coerce.number().int().min(10).default(DEFAULT_IMPORT_LIMITS.maxTableCells),
  /** Set: notifications are e-mailed through this SMTP server (smtp:// or smtps://, user and password in the URL). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The sender of notification e-mail. */
  EMAIL_FROM: z.string().min(3).default('Concord <concord@localhost>'),
  /** A step of a send (connect, greeting, each reply) that takes longer fails it (retried later); a sender's lease is twice this, renewed while it sends. */
  EMAIL_SEND_TIMEOUT_MS: z.coerce.number().int().min(500).default(60_000),
  /** First wait before a failed message is tried again; it doubles each time, up to an hour. */
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  /** Tries before a message is recorded as failed. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  /** How often the queue is looked at for due messages (and other processes' work), at the latest. */
  EMAIL_POLL_MS: z.coerce.number().int().min(10).default(15_000),
}).refine((e) => e.REDIS_URL === undefined || e.DATABASE_URL !== undefined, {
  path: ['REDIS_URL'],
  message: 'needs DATABASE_URL too: processes that share documents must share one database',
}).refine((e) => e.HTTP_REQUEST_TIMEOUT_MS === 0 || e.HTTP_HEADERS_TIMEOUT_MS <= e.HTTP_REQUEST_TIMEOUT_MS, {
  path: ['HTTP_HEADERS_TIMEOUT_MS'],
  message: 'must not be more than HTTP_REQUEST_TIMEOUT_MS',
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
  shutdownDrainMs: number;
  shutdownTimeoutMs: number;
  unstoredLimits: { perRoom: number; perProcess: number };
  sqliteSynchronous: 'NORMAL' | 'FULL';
  databaseUrl: string | undefined;
  storeTimeoutMs: number;
  redisUrl: string | undefined;
  clientDir: string;
  publicOrigin: string | undefined;
  checkpointAfterPauseMs: number;
  checkpointEveryMs: number;
  openSignup: boolean;
  trustProxy: string | undefined;
  collabMaxSocketsPerAccount: number;
  collabMaxSocketsPerAddress: number;
  collabMaxPendingUpgrades: number;
  collabUpgradeTimeoutMs: number;
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  httpKeepAliveTimeoutMs: number;
  tokenRatePerSecond: number;
  tokenRateBurst: number;
  exportJobsPerAccount: number;
  importLimits: ImportLimits;
  email: EmailConfig;
}

export interface EmailConfig {
  /** Unset: notifications are in the app only. */
  smtpUrl: string | undefined;
  from: string;
  sendTimeoutMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  pollMs: number;
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
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    unstoredLimits: { perRoom: e.UNSTORED_BYTES_PER_ROOM, perProcess: e.UNSTORED_BYTES_PER_PROCESS },
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    databaseUrl: e.DATABASE_URL,
    storeTimeoutMs: e.STORE_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    clientDir: resolve(e.CLIENT_DIR),
    publicOrigin: e.PUBLIC_ORIGIN,
    checkpointAfterPauseMs: e.CHECKPOINT_AFTER_PAUSE_MS,
    checkpointEveryMs: e.CHECKPOINT_EVERY_MS,
    openSignup: e.SIGNUP === 'open',
    trustProxy: e.TRUST_PROXY,
    collabMaxSocketsPerAccount: e.COLLAB_MAX_SOCKETS_PER_ACCOUNT,
    collabMaxSocketsPerAddress: e.COLLAB_MAX_SOCKETS_PER_ADDRESS,
    collabMaxPendingUpgrades: e.COLLAB_MAX_PENDING_UPGRADES,
    collabUpgradeTimeoutMs: e.COLLAB_UPGRADE_TIMEOUT_MS,
    httpHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    httpKeepAliveTimeoutMs: e.HTTP_KEEPALIVE_TIMEOUT_MS,
    tokenRatePerSecond: e.TOKEN_RATE_PER_SECOND,
    tokenRateBurst: e.TOKEN_RATE_BURST,
    exportJobsPerAccount: e.EXPORT_JOBS_PER_ACCOUNT,
    importLimits: {
      maxUnzippedBytes: e.IMPORT_MAX_UNZIPPED_BYTES,
      maxZipEntries: e.IMPORT_MAX_ZIP_ENTRIES,
      maxCharacters: e.DOCUMENT_MAX_CHARACTERS,
      maxNodes: e.DOCUMENT_MAX_NODES,
      maxTableCells: e.DOCUMENT_MAX_TABLE_CELLS,
    },
    email: {
      smtpUrl: e.SMTP_URL,
      from: e.EMAIL_FROM,
      sendTimeoutMs: e.EMAIL_SEND_TIMEOUT_MS,
      retryBaseMs: e.EMAIL_RETRY_BASE_MS,
      maxAttempts: e.EMAIL_MAX_ATTEMPTS,
      pollMs: e.EMAIL_POLL_MS,
    },
  };
}

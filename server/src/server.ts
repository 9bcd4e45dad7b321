import express from 'express';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

import { AccessEvents, adminRoutes, authenticateRequests, Authenticator, authRoutes, createSignInLimits, tokenRoutes } from './auth/index';
import { commentRoutes, DocumentEvents } from './comments/index';
import type { Config } from './config';
import { relayAccessEvents, relayDocumentEvents, relaySignInLimits, relayUserEvents, singleProcess, type Fanout } from './fanout/index';
import { collabAuthorizer, documentRoutes } from './documents/index';
import { conversionExportRoutes, DocumentConverter, exportRoutes, importRoutes, PdfExporter, redlineRoutes } from './export/index';
import { groupRoutes, inviteRoutes } from './groups/index';
import type { AuthResult } from './auth/authenticator';
import { apiErrorHandler, ApiError, OriginPolicy, parseJsonBodies, rateLimit, requireJsonBody, staticClient, TokenBuckets } from './http/index';
import { readinessRoute } from './http/readiness';
import { startNotifications, type MailTransport, type Notifications } from './notifications/index';
import { isStoreUnavailable, type Store } from './store/index';
import { CitationIndexer, priorityRoundRoutes, sourceRoutes } from './sources/index';
import { createCollabEndpoint, RoomRegistry, type CollabEndpoint } from './sync/index';
import { Checkpointer, VersionHistory, versionRoutes } from './versions/index';

export interface RunningServer {
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  /** Where people open the app (PUBLIC_ORIGIN, or http://localhost:PORT). */
  readonly publicOrigin: string;
  readonly registry: RoomRegistry;
  /** Changes of rights that open connections follow at once. */
  readonly accessEvents: AccessEvents;
  /** The collaboration endpoint (its socket counts, for tests and health checks). */
  readonly collab: CollabEndpoint;
  readonly httpServer: Server;
  /** The inbox, its e-mail and their sender (tests send digests at once with it). */
  readonly notifications: Notifications;
  /** Stops accepting, stores everything pending, closes every connection. Does not close the store. */
  close(): Promise<void>;
}

/** Headers on every response; `connectSources` are the origins pages may open connections to. */
const securityHeaders = (connectSources: string): Record<string, string> => ({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': `default-src 'self'; connect-src ${connectSources}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
});

/** Routes that take a file (in the JSON body): they read their larger bodies themselves (export/upload.ts). */
const UPLOAD_ROUTES = [/^\/documents\/import\/?$/, /^\/sources\/import\/?$/, /^\/sources\/[A-Za-z0-9_-]+\/reimport\/?$/];
const isUploadRequest = (request: express.Request): boolean => request.method === 'POST' && UPLOAD_ROUTES.some((route) => route.test(request.path));

/** Builds the HTTP app and the collaboration endpoint on one port and starts listening. */
export async function startServer(deps: { config: Config; store: Store; log: Logger; fanout?: Fanout; mailTransport?: MailTransport }): Promise<RunningServer> {
  const { config, store, log, fanout = singleProcess } = deps;
  const origins = new OriginPolicy(config.publicOrigin);
  const authenticator = new Authenticator(store, { secureCookies: config.publicOrigin?.startsWith('https:') ?? false });
  const accessEvents = new AccessEvents();
  const registry = new RoomRegistry({
    store,
    log,
    unloadGraceMs: config.roomUnloadGraceMs,
    compactAfterUpdates: config.compactAfterUpdates,
    fanout,
    unstoredLimits: config.unstoredLimits,
  });
  const documentEvents = new DocumentEvents();
  const signInLimits = createSignInLimits();
  const notifications = startNotifications({
    store,
    log,
    email: config.email,
    accessEvents,
    origin: () => origins.publicOrigin,
    transport: deps.mailTransport,
  });
  const { notifier } = notifications;
  const stopRelays = [
    await relayAccessEvents(accessEvents, fanout),
    await relayDocumentEvents(documentEvents, fanout),
    await relaySignInLimits(signInLimits, fanout),
    await relayUserEvents(notifications.userEvents, fanout),
  ];

  const history = new VersionHistory(store, registry, (message) => log.error({ component: 'history-worker' }, message));
  const checkpointer = new Checkpointer(history, { pauseMs: config.checkpointAfterPauseMs, maxIntervalMs: config.checkpointEveryMs, log });
  registry.onStored((documentId) => checkpointer.noteStored(documentId));
  const citationIndexer = new CitationIndexer({ store, registry, log });
  registry.onStored((documentId) => citationIndexer.noteStored(documentId));
  const exporter = new PdfExporter(
    { store, registry, onWorkerLog: (message) => log.error({ component: 'pdf-worker' }, message) },
    { maxPerAccount: config.exportJobsPerAccount },
  );
  const converter = new DocumentConverter(
    { store, registry, onWorkerLog: (message) => log.error({ component: 'convert-worker' }, message) },
    { maxPerAccount: config.exportJobsPerAccount, import: config.importLimits },
  );
  // Requests per personal access token (scripts and bots); browser sessions are not limited here.
  const tokenBuckets = new TokenBuckets(config.tokenRatePerSecond, config.tokenRateBurst);
  const limitTokens = rateLimit({
    buckets: tokenBuckets,
    subject: 'this access token',
    keyOf: (_request, response) => {
      const auth = response.locals.auth as AuthResult | undefined;
      return auth?.status === 'signed-in' && auth.principal.credential.kind === 'token' ? auth.principal.credential.id : undefined;
    },
  });

  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  let headers: Record<string, string> | null = null;
  app.use((request, response, next) => {
    // Built at the first request: the origins are known once the server listens (port 0 in tests).
    response.set((headers ??= securityHeaders(origins.connectSources())));
    const started = performance.now();
    response.on('finish', () => {
      const entry = { method: request.method, url: request.originalUrl, status: response.statusCode, ms: Math.round(performance.now() - started) };
      // Reads that succeed are routine (the home page polls); changes and failures are worth seeing.
      if (response.locals.quietLog === true) log.debug(entry, 'request');
      else if (response.statusCode >= 500) log.error(entry, 'request');
      else if (response.statusCode >= 400) log.warn(entry, 'request');
      else if (request.method !== 'GET') log.info(entry, 'request');
      else log.debug(entry, 'request');
    });
    next();
  });
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', ...registry.stats() });
  });
  // Whether this process can store right now (liveness is /healthz). Its 503s are not logged as
  // errors: balancers ask every few seconds, and the store's own outage log says what is wrong.
  let stopping = false;
  const ready = readinessRoute({ store, fanout, deadlineMs: Math.min(config.storeTimeoutMs, 2_000), stopping: () => stopping });
  app.get('/readyz', (request, response, next) => {
    response.locals.quietLog = true;
    ready(request, response, next);
  });
  const jsonBodies = parseJsonBodies({ limit: 2 ** 20, isUpload: isUploadRequest });
  app.use('/api', origins.guardRequests(), requireJsonBody, jsonBodies, authenticateRequests(authenticator), limitTokens);
  app.use('/api/auth', authRoutes({ store, authenticator, events: accessEvents, openSignup: config.openSignup, limits: signInLimits }));
  app.use('/api/tokens', tokenRoutes({ store, events: accessEvents }));
  app.use('/api/admin', adminRoutes({ store, events: accessEvents }));
  app.use('/api/groups', groupRoutes({ store, registry, events: accessEvents, inviteMailer: notifications.inviteMailer, log }));
  app.use('/api/invites', inviteRoutes({ store }));
  app.use('/api/notifications', notifications.apiRoutes);
  app.use('/api/documents/import', importRoutes({ store, converter }));
  app.use('/api/documents/:id', versionRoutes({ store, history, notifier }));
  app.use('/api/documents/:id', commentRoutes({ store, registry, events: accessEvents, documentEvents, notifier }));
  app.use('/api/documents/:id', exportRoutes({ store, exporter }));
  app.use('/api/documents/:id', conversionExportRoutes({ store, converter }));
  app.use('/api/documents/:id', redlineRoutes({ store, history, exporter }));
  app.use('/api/documents/:id', notifications.visitRoutes);
  app.use('/api/documents', documentRoutes({ store, registry, events: accessEvents }));
  app.use('/api/sources/:id/rounds', priorityRoundRoutes({ store, registry, notifier }));
  app.use('/api/sources', sourceRoutes({ store, registry, converter, publicOrigin: () => origins.publicOrigin }));
  app.use('/api', () => {
    throw new ApiError(404, 'not_found', 'no such API route');
  });

  // Links in e-mail that stop it, without signing in.
  app.use('/unsubscribe', notifications.unsubscribeRoutes);

  app.use(staticClient(config.clientDir));
  app.use(apiErrorHandler(log, { isUnavailable: isStoreUnavailable }));

  // Slow clients (headers or bodies dripped a byte at a time) are dropped with 408; Node checks
  // the deadlines every `connectionsCheckingInterval`, so that follows the shortest of them.
  const httpServer = createServer(
    {
      headersTimeout: config.httpHeadersTimeoutMs,
      requestTimeout: config.httpRequestTimeoutMs,
      keepAliveTimeout: config.httpKeepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(5_000, Math.max(100, Math.floor(config.httpHeadersTimeoutMs / 4))),
    },
    app,
  );
  /** The client's address as Express reads it (`TRUST_PROXY` applies), for upgrades, which never reach the app. */
  const clientAddress = (request: IncomingMessage): string => {
    const view = Object.create(app.request, { headers: { value: request.headers }, socket: { value: request.socket } }) as express.Request;
    try {
      return view.ip ?? request.socket.remoteAddress ?? 'unknown';
    } catch {
      // Whatever a client puts in X-Forwarded-For must not end the process: count the peer instead.
      return request.socket.remoteAddress ?? 'unknown';
    }
  };
  const collab = createCollabEndpoint({
    registry,
    authorize: collabAuthorizer({ authenticator, store }),
    allowsOrigin: (origin) => origins.allows(origin),
    log,
    maxMessageBytes: config.maxMessageBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    keepaliveMs: config.keepaliveMs,
    limits: {
      maxSocketsPerAccount: config.collabMaxSocketsPerAccount,
      maxSocketsPerAddress: config.collabMaxSocketsPerAddress,
      maxPendingUpgrades: config.collabMaxPendingUpgrades,
      upgradeTimeoutMs: config.collabUpgradeTimeoutMs,
    },
    clientAddress,
  });
  accessEvents.subscribe((change) => collab.applyAccessChange(change));
  // Changes of rights made elsewhere while the fan-out was away were missed: check every socket again.
  const stopGapWatch = fanout.onGap(() => collab.reauthorizeAll());
  httpServer.on('upgrade', (request, socket, head) => {
    if (!collab.handleUpgrade(request, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  origins.listeningOn(port);
  notifications.start();

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    publicOrigin: origins.publicOrigin,
    registry,
    accessEvents,
    collab,
    httpServer,
    notifications,
    close() {
      closing ??= (async () => {
        stopping = true;
        httpServer.close();
        // Frames already received are handled before the rooms are flushed: each socket closes
        // with 1001 through the close handshake (bounded), then every room is stored.
        await collab.drain(config.shutdownDrainMs);
        await registry.closeAll();
        await checkpointer.close();
        await citationIndexer.close();
        await history.close();
        await exporter.close();
        await converter.close();
        await notifications.close();
        tokenBuckets.stop();
        for (const stop of stopRelays) stop();
        stopGapWatch();
        collab.close();
        httpServer.closeAllConnections();
      })();
      return closing;
    },
  };
}


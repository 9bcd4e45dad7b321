/**
 * The built client (dist/client): hashed assets precompressed at build (brotli and gzip, see
 * vite.config.ts) sent as they are with the encoding the browser accepts and `Vary:
 * Accept-Encoding`, cached for a year as immutable (a new build has new names); everything else
 * (index.html for every client route, the service worker, its precache list, the icon) revalidated
 * on each use so a deploy shows at once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import expressStaticGzip from 'express-static-gzip';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
/** Client routes (/, /d/<id>, …); the API and the collaboration endpoint are not pages. */
const CLIENT_ROUTE = /^\/(?!api\/|collab\/).*/;

export function staticClient(clientDir: string): Router {
  const router = express.Router();
  const precompressed: expressStaticGzip.ExpressStaticGzipOptions = { enableBrotli: true, orderPreference: ['br', 'gzip'], index: false };
  router.use(
    '/assets',
    expressStaticGzip(join(clientDir, 'assets'), {
      ...precompressed,
      serveStatic: { index: false, setHeaders: (response) => response.setHeader('Cache-Control', `public, max-age=${ONE_YEAR_SECONDS}, immutable`) },
    }),
  );
  // An old build's file (a tab open across a deploy asks for it): a plain 404, not the app's page as a script.
  router.use('/assets', (_request, response) => {
    response.status(404).type('text/plain').send('No such file in this version of Concord.');
  });
  router.use(expressStaticGzip(clientDir, { ...precompressed, serveStatic: { index: false, setHeaders: (response) => response.setHeader('Cache-Control', 'no-cache') } }));

  const indexHtml = join(clientDir, 'index.html');
  router.get(CLIENT_ROUTE, (_request, response) => {
    if (!existsSync(indexHtml)) {
      response.status(503).type('text/plain').send('The client is not built yet: run `npm run build` (npm start does it).');
      return;
    }
    response.set('Cache-Control', 'no-cache').sendFile(indexHtml);
  });
  return router;
}

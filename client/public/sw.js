/*
 * Concord service worker: keeps the app shell (index.html and the built assets) available
 * offline. Documents themselves are kept in IndexedDB by the editor; the API and the
 * collaboration socket are never cached or intercepted.
 *
 * - Page loads: network first (so a new version shows up at once), the cached shell when the
 *   network fails.
 * - /assets/*: file names contain a content hash, so cache first is always correct.
 */
const CACHE = 'concord-shell-v2';
const SHELL = '/index.html';
/** Written by the build (the precacheManifest plugin in vite.config.ts): every page's files, each page being loaded on demand. */
const PRECACHE_LIST = '/precache.json';

/** The files this build's pages load: from the build's list, or (no list) what index.html names. */
async function currentFiles(html) {
  try {
    const response = await fetch(PRECACHE_LIST, { cache: 'no-cache' });
    if (response.ok) {
      const { files } = await response.json();
      if (Array.isArray(files)) return files.filter((file) => typeof file === 'string' && file.startsWith('/'));
    }
  } catch {
    // Fall back to the page's own references.
  }
  return Array.from(html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g), (match) => match[1]);
}

/**
 * Stores what this build's pages load that the cache lacks, and drops what the previous build's
 * did (file names carry a content hash, so a name never changes content).
 */
async function refreshAssets(cache, html) {
  const files = new Set([...(await currentFiles(html)), '/favicon.svg']);
  await Promise.all(
    [...files].map(async (url) => {
      if (await cache.match(url)) return;
      const asset = await fetch(url).catch(() => null);
      if (asset && asset.ok) await cache.put(url, asset);
    }),
  );
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !files.has(path)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch('/', { cache: 'no-cache' });
      if (!response.ok) return;
      const html = await response.clone().text();
      await cache.put(SHELL, response);
      // Every page's files, so that any page opens offline even if it was never opened online.
      await refreshAssets(cache, html);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/collab') || url.pathname === '/healthz') return;

  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const response = await fetch(request);
          if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) {
            await cache.put(SHELL, response.clone());
            event.waitUntil(refreshAssets(cache, await response.clone().text()).catch(() => undefined));
          }
          return response;
        } catch (error) {
          const cached = await cache.match(SHELL);
          if (cached) return cached;
          throw error;
        }
      })(),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const cached = await cache.match(request);
        if (cached) return cached;
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      })(),
    );
  }
});

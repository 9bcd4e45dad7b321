/*
 * Concord service worker: keeps the app shell (index.html and the built assets) available
 * offline. Documents themselves are kept in IndexedDB by the editor; the API and the
 * collaboration socket are never cached or intercepted.
 *
 * - Page loads: network first (so a new version shows up at once), the cached shell when the
 *   network fails.
 * - /assets/*: file names contain a content hash, so cache first is always correct.
 */
const CACHE = 'concord-shell-v1';
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch('/', { cache: 'no-cache' });
      if (!response.ok) return;
      const html = await response.clone().text();
      await cache.put(SHELL, response);
      // Precache what index.html loads, so the first offline reload works even if the page
      // never fetched these through the worker.
      const assets = Array.from(html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g), (match) => match[1]);
      await Promise.all(
        [...new Set([...assets, '/favicon.svg'])].map((url) =>
          fetch(url).then((asset) => (asset.ok ? cache.put(url, asset) : undefined)).catch(() => undefined),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

/** After a new version is deployed, drop the previous version's assets (index.html no longer names them). */
async function pruneOldAssets(cache, html) {
  const current = new Set(Array.from(html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g), (match) => match[1]));
  if (current.size === 0) return;
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    // Lazily loaded chunks aren't named in index.html; keep anything the shell's own files might load.
    if (path.startsWith('/assets/') && !current.has(path) && /\.(js|css)$/.test(path) && /index-/.test(path)) await cache.delete(request);
  }
}

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
            event.waitUntil(pruneOldAssets(cache, await response.clone().text()));
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

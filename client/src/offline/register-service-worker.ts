/**
 * The service worker (client/public/sw.js) keeps the app itself available offline, so a reload
 * without network still opens the editor, which then loads the document from IndexedDB.
 * Only in production builds: in `vite` dev it would cache modules that change all the time.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('Concord: offline support unavailable', error);
    });
  });
}

import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/**
 * Build step: writes `precache.json`, the list of files the service worker (client/public/sw.js)
 * stores when it installs, so that every page (each loaded on demand) opens offline, not only
 * what index.html names. Left out: the password-strength dictionaries (1.6 MB, only for forms that
 * set a password, which need the network anyway) and the precompressed copies.
 */
const ONLINE_ONLY_MODULES = /[\\/]@zxcvbn-ts[\\/]/;

function precacheManifest(): Plugin {
  return {
    name: 'concord-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files: string[] = [];
      for (const output of Object.values(bundle)) {
        if (/\.(br|gz|map)$/.test(output.fileName) || output.fileName === 'index.html') continue;
        if (output.type === 'chunk' && output.moduleIds.length > 0 && output.moduleIds.every((id) => ONLINE_ONLY_MODULES.test(id))) continue;
        files.push(`/${output.fileName}`);
      }
      files.sort();
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: `${JSON.stringify({ files }, null, 1)}\n` });
    },
  };
}

// The client is built into dist/client and served by the Express server on one port.
// `npm run dev:client` proxies API and collaboration traffic to a server on :8080.
export default defineConfig({
  root: 'client',
  plugins: [
    react(),
    // Every asset also as .br and .gz, served as they are by the server (no compression per request).
    compression({ algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip')], threshold: 1024, exclude: [/\.vite[\\/]/], deleteOriginalAssets: false }),
    precacheManifest(),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // .vite/manifest.json: which files each page loads (the first-load budget test reads it; a dot
    // folder, never served).
    manifest: true,
    // One chunk is larger and meant to be: the password-strength dictionaries (1.2 MB), which only
    // the forms that set a password load. The pages load on demand (client/src/pages/).
    chunkSizeWarningLimit: 1250,
    rolldownOptions: {
      output: {
        // The editor's libraries apart from the app's code: they change far less often, so a new
        // version of Concord is downloaded without them.
        codeSplitting: {
          groups: [
            // React goes with the app's entry (every page needs it), not with the editor libraries that use it too.
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 1 },
            { name: 'yjs', test: /node_modules[\\/](yjs|y-[^\\/]+|lib0)[\\/]/ },
            { name: 'prosemirror', test: /node_modules[\\/](prosemirror-[^\\/]+|rope-sequence|orderedmap|w3c-keyname)[\\/]/ },
            { name: 'tiptap', test: /node_modules[\\/](@tiptap[\\/][^\\/]+|linkifyjs)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/healthz': 'http://localhost:8080',
      '/collab': { target: 'ws://localhost:8080', ws: true },
    },
  },
});

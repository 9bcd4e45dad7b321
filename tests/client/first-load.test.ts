/**
 * First load (issue 17): what the build makes and how the server sends it. The sign-in page must
 * not download the editor stack, and its scripts stay within a budget over the wire; assets go out
 * precompressed with the encoding the browser accepts and are cached for good (their names change
 * with their content), while index.html and the service worker's files are revalidated.
 * Reads the build in dist/client (the test command builds first).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';

const CLIENT_DIR = 'dist/client';
const SIGN_IN_BUDGET_BYTES = 200 * 1024;
/** Chunks of the editor's libraries and the document page (vite.config.ts names the first three). */
const EDITOR_STACK = /^assets\/(yjs|prosemirror|tiptap|DocumentRoute)-/;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const manifest = (): Manifest => JSON.parse(readFileSync(join(CLIENT_DIR, '.vite/manifest.json'), 'utf8')) as Manifest;

/** Files a page's code needs before it runs: its chunk, its CSS, and what they import statically. */
function filesLoadedBy(chunks: Manifest, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = chunks[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

/** Bytes over the wire: the .br file the server sends, or the file brotli-compressed when the build wrote none (too small to bother). */
function wireBytes(file: string): number {
  const path = join(CLIENT_DIR, file);
  return existsSync(`${path}.br`) ? statSync(`${path}.br`).size : brotliCompressSync(readFileSync(path)).length;
}

describe('the build', () => {
  it('the sign-in page loads no editor code, and its scripts and styles stay within 200 KiB over the wire', () => {
    const chunks = manifest();
    const entry = Object.keys(chunks).find((key) => chunks[key].isEntry);
    expect(entry).toBeDefined();
    const signIn = filesLoadedBy(chunks, [entry!, 'src/auth/SignInPage.tsx']);
    expect([...signIn].filter((file) => EDITOR_STACK.test(file))).toEqual([]);
    const bytes = [...signIn].reduce((sum, file) => sum + wireBytes(file), 0);
    console.log(`sign-in page: ${signIn.size} files, ${(bytes / 1024).toFixed(1)} KiB over the wire (brotli)`);
    expect(bytes).toBeLessThanOrEqual(SIGN_IN_BUDGET_BYTES);
  });

  it('the home page loads no editor code either; the document page does', () => {
    const chunks = manifest();
    const entry = Object.keys(chunks).find((key) => chunks[key].isEntry)!;
    expect([...filesLoadedBy(chunks, [entry, 'src/home/HomePage.tsx'])].filter((file) => EDITOR_STACK.test(file))).toEqual([]);
    expect([...filesLoadedBy(chunks, [entry, 'src/history/DocumentRoute.tsx'])].filter((file) => EDITOR_STACK.test(file)).length).toBeGreaterThanOrEqual(4);
  });

  it('the service worker’s list names every page’s files (so each opens offline) and no precompressed copy', () => {
    const { files } = JSON.parse(readFileSync(join(CLIENT_DIR, 'precache.json'), 'utf8')) as { files: string[] };
    const chunks = manifest();
    for (const page of ['src/auth/SignInPage.tsx', 'src/home/HomePage.tsx', 'src/history/DocumentRoute.tsx', 'src/groups/GroupPage.tsx', 'src/comments/ReportPage.tsx']) {
      for (const file of filesLoadedBy(chunks, [page])) expect(files, `${page} needs ${file}`).toContain(`/${file}`);
    }
    expect(files.filter((file) => /\.(br|gz|map)$/.test(file))).toEqual([]);
    for (const file of files) expect(existsSync(join(CLIENT_DIR, file)), file).toBe(true);
  });
});

describe('the server sends the build', () => {
  let server: TestServer;
  let script: string;

  beforeAll(async () => {
    server = await startTestServer({ dataDir: tempDataDir() });
    const chunks = manifest();
    script = `/${chunks[Object.keys(chunks).find((key) => chunks[key].isEntry)!].file}`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const get = (path: string, acceptEncoding?: string) =>
    fetch(`${server.url}${path}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

  it('precompressed, as brotli or gzip as the browser accepts, cached for a year as immutable', async () => {
    const original = readFileSync(join(CLIENT_DIR, script));
    for (const [accepts, encoding, suffix] of [
      ['gzip, deflate, br', 'br', '.br'],
      ['gzip', 'gzip', '.gz'],
      ['identity', null, ''],
    ] as const) {
      // Node's fetch decodes what it receives; the raw size tells which file was sent.
      const response = await get(script, accepts);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
      expect(response.headers.get('vary')).toMatch(/Accept-Encoding/i);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(await response.arrayBuffer()).equals(original), `${accepts}: the script arrives whole`).toBe(true);
      if (suffix) expect(statSync(join(CLIENT_DIR, script + suffix)).size).toBeLessThan(original.length / 2);
    }
  });

  it('index.html (every page’s address), the service worker and its list are revalidated; a file of an old build is a 404, not the page', async () => {
    for (const path of ['/', '/d/AAAAAAAAAAAAAAAA', '/signin', '/sw.js', '/precache.json']) {
      const response = await get(path, 'gzip, br');
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      await response.arrayBuffer();
    }
    // The build's own manifest is not served (a dot folder): the address is just another page.
    const manifestFile = await get('/.vite/manifest.json', 'gzip, br');
    expect(manifestFile.headers.get('content-type')).toMatch(/^text\/html/);
    expect(manifestFile.headers.get('content-encoding')).toBeNull();
    await manifestFile.arrayBuffer();
    const gone = await get('/assets/index-00000000.js', 'gzip, br');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toMatch(/^text\/plain/);
    await gone.arrayBuffer();
  });
});

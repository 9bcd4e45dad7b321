/**
 * First load in a real browser: the sign-in page fetches no editor code and gets its scripts
 * brotli-compressed; once signed in, the service worker has every page's code, so a document this
 * browser never opened still opens without network (its page code from the cache).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { TEST_PASSWORD } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, type TestAccount } from './support/accounts';
import { connectionStatus, editorText, launchBrowser, newContext, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let member: TestAccount;
let neverOpened: string;

const EDITOR_STACK = /\/assets\/(yjs|prosemirror|tiptap|DocumentRoute)-/;
const until = { timeout: 15_000, interval: 100 };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  neverOpened = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Contribution to the EGM');
  member = await joinGroup(server.url, group, 'member', 'Ada Lovelace');
  context = await newContext(browser);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('the sign-in page loads no editor code, its scripts arrive brotli-compressed, and signing in works', async () => {
  const scripts: { url: string; encoding: string | undefined; bytes: number }[] = [];
  page.on('response', (response) => {
    const headers = response.headers();
    if (response.request().resourceType() === 'script') scripts.push({ url: response.url(), encoding: headers['content-encoding'], bytes: Number(headers['content-length']) });
  });
  await page.goto(`${server.url}/signin`);
  await page.getByLabel('Email').fill(member.user.email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((script) => EDITOR_STACK.test(script.url)).map((script) => script.url)).toEqual([]);
  // All but the smallest files (under 1 KiB, not worth compressing) come as brotli.
  expect(scripts.filter((script) => script.encoding !== 'br' && !(script.bytes < 1024)).map((script) => script.url)).toEqual([]);
  expect(scripts.filter((script) => script.encoding === 'br').length).toBeGreaterThan(2);
  await screenshot(page, 'first-load-sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), until).toBeTruthy();
  expect(scripts.filter((script) => EDITOR_STACK.test(script.url)).map((script) => script.url)).toEqual([]);
});

it('a document never opened in this browser opens offline: the page’s code comes from the service worker', async () => {
  // The worker stores every page's files when it installs; wait until it has the editor's.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const cache = await caches.open('concord-shell-v2');
          const cached = (await cache.keys()).map((request) => new URL(request.url).pathname);
          return ['DocumentRoute-', 'tiptap-', 'prosemirror-', 'yjs-'].every((name) => cached.some((path) => path.includes(name)));
        }),
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true);
  await context.setOffline(true);
  await page.goto(`${server.url}/d/${neverOpened}`);
  await expect.poll(() => connectionStatus(page).textContent(), until).toMatch(/^Offline/);
  expect(await page.getByText('This page couldn’t be loaded').count()).toBe(0);
  await screenshot(page, 'first-load-offline-never-opened');
  await context.setOffline(false);
  await editorText(page).waitFor({ state: 'visible', timeout: 15_000 });
});

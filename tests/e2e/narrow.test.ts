/**
 * A phone-width screen (360 px, issue 17): no page scrolls sideways, the header fits, and the
 * account menu opens fully on screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createDocument, setUpGroup, signedInContext } from './support/accounts';
import { editorText, launchBrowser, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let page: Page;
let groupId: string;
let documentId: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  groupId = group.id;
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Contribution of the MAG Working Group on Strategy to the EGM');
  const context = await signedInContext(browser, server.url, group.chair);
  page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** How far the page reaches past the right edge of the screen, in CSS pixels (0: it fits). */
const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

it.each([
  ['home', '/', () => page.getByRole('heading', { level: 1 }).first().waitFor()],
  ['group', '/g/GROUP', () => page.getByRole('heading', { level: 1 }).first().waitFor()],
  ['document', '/d/DOC', () => editorText(page).waitFor()],
])('the %s page fits 360 px, and the account menu opens on screen', async (name, path, ready) => {
  await page.goto(`${server.url}${path.replace('GROUP', groupId).replace('DOC', documentId)}`);
  await ready();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: /^Account menu for/ }).click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  const box = (await menu.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await screenshot(page, `narrow-${name}`);
  await page.keyboard.press('Escape');
});

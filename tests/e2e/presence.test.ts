/**
 * Presence as Docs shows it (issue 17): another person's caret is named while they type and for a
 * moment after, then only on hover (a label that always showed covered the line above); an
 * observer is listed as viewing, never as editing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createDocument, joinGroup, setUpGroup, signedInContext } from './support/accounts';
import { editorText, launchBrowser, openDocument, screenshot, settleCaret } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let chair: Page;
let member: Page;
let observer: Page;

const until = { timeout: 15_000, interval: 100 };
const labelOpacity = (page: Page, name: string) =>
  page.evaluate((person) => {
    const label = Array.from(document.querySelectorAll('.collab-caret__label')).find((element) => element.textContent === person);
    return label ? getComputedStyle(label).opacity : null;
  }, name);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  const documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Strategy paper');
  const memberAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  const observerAccount = await joinGroup(server.url, group, 'observer', 'Olu Observer');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  member = await (await signedInContext(browser, server.url, memberAccount)).newPage();
  observer = await (await signedInContext(browser, server.url, observerAccount)).newPage();
  for (const page of [chair, member, observer]) await openDocument(page, server.url, documentId);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('names another person’s caret while they type, then fades the name; hovering the caret shows it again', async () => {
  await editorText(member).click();
  await member.keyboard.type('The Working Group welcomes the paper.');
  await settleCaret(member);
  await expect.poll(() => labelOpacity(chair, 'Amrita Choudhury'), until).toBe('1');
  await screenshot(chair, 'presence-caret-named-while-typing');
  // No typing for a few seconds: the name goes, the caret stays.
  await expect.poll(() => labelOpacity(chair, 'Amrita Choudhury'), until).toBe('0');
  expect(await chair.locator('.collab-caret').count()).toBeGreaterThan(0);
  await screenshot(chair, 'presence-caret-quiet');
  await chair.locator('.collab-caret', { has: chair.locator('.collab-caret__label', { hasText: 'Amrita Choudhury' }) }).first().hover({ force: true });
  await expect.poll(() => labelOpacity(chair, 'Amrita Choudhury'), until).toBe('1');
  // Typing again names it again.
  await chair.mouse.move(0, 0);
  await expect.poll(() => labelOpacity(chair, 'Amrita Choudhury'), until).toBe('0');
  await member.keyboard.type(' More.');
  await expect.poll(() => labelOpacity(chair, 'Amrita Choudhury'), until).toBe('1');
});

it('lists the observer as viewing, the others without it', async () => {
  await chair.getByRole('button', { name: /3 people here/ }).click();
  const list = chair.getByTestId('presence-list');
  await expect.poll(() => list.locator('li').count(), until).toBe(3);
  await expect.poll(() => list.locator('li', { hasText: 'Olu Observer' }).textContent(), until).toContain('viewing');
  expect(await list.locator('li', { hasText: 'Amrita Choudhury' }).textContent()).not.toContain('viewing');
  await screenshot(chair, 'presence-list-viewing');
  await chair.keyboard.press('Escape');
});

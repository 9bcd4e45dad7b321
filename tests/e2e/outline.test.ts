/**
 * The document outline (issue 17), as in Google Docs: a panel of the document's headings, opened
 * from the header or with Ctrl+Alt+O, numbered when the document numbers its headings, updated
 * as anyone types; choosing a heading (mouse, or arrows and Enter) puts the caret there and
 * scrolls it into view; an empty document says where headings will appear.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { axeViolations } from './support/axe';
import { documentText, editorText, launchBrowser, openDocument, pasteHtml, screenshot, settleCaret } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let member: TestAccount;
let chair: Page;

const until = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  member = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const panel = (page: Page) => page.getByRole('navigation', { name: 'Outline' });
const toggle = (page: Page) => page.getByRole('button', { name: 'Outline', exact: true });
const entries = (page: Page) => panel(page).getByRole('listitem').allInnerTexts();
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? null);
const inText = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest('.document-text')));

async function newDraft(title: string): Promise<string> {
  const id = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, title);
  await openDocument(chair, server.url, id);
  await editorText(chair).click();
  return id;
}

it('lists headings live as they are typed, numbered with the document; empty at first', async () => {
  const id = await newDraft('Outline');
  if ((await toggle(chair).getAttribute('aria-expanded')) !== 'true') await toggle(chair).click();
  await expect.poll(() => panel(chair).textContent(), until).toContain('Headings you add appear here.');
  await screenshot(chair, 'outline-empty');
  await editorText(chair).click();

  await chair.keyboard.type('Introduction');
  await chair.keyboard.press('Control+Alt+1');
  await expect.poll(() => entries(chair), until).toEqual(['Introduction']);
  await chair.keyboard.press('End');
  await chair.keyboard.press('Enter');
  await chair.keyboard.type('Scope');
  await chair.keyboard.press('Control+Alt+2');
  await chair.keyboard.press('End');
  await chair.keyboard.press('Enter');
  await chair.keyboard.type('Body text.');
  await expect.poll(() => entries(chair), until).toEqual(['Introduction', 'Scope']);

  await chair.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: /^Number headings/ }).click();
  await expect.poll(() => entries(chair), until).toEqual(['1. Introduction', '1.1 Scope']);

  // Another member adds a section: it appears here without a reload.
  const amrita = await (await signedInContext(browser, server.url, member)).newPage();
  try {
    await openDocument(amrita, server.url, id);
    await expect.poll(() => documentText(amrita), until).toContain('Body text.');
    await editorText(amrita).click();
    await amrita.keyboard.press('Control+End');
    await amrita.keyboard.press('Enter');
    await amrita.keyboard.type('Recommendations');
    await amrita.keyboard.press('Control+Alt+1');
    await expect.poll(() => entries(chair), until).toEqual(['1. Introduction', '1.1 Scope', '2. Recommendations']);
  } finally {
    await amrita.close();
  }
  await screenshot(chair, 'outline');
  const violations = (await axeViolations(chair, '#outline-panel', { thorough: true })).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(violations).toEqual([]);
});

it('a click on a heading far down puts the caret there and scrolls it into view; Ctrl+Alt+O, arrows and Enter do it from the keyboard', async () => {
  await newDraft('Long outline');
  const filler = (from: number) => Array.from({ length: 30 }, (_, index) => `<p>Paragraph ${from + index} of the options paper.</p>`).join('');
  await pasteHtml(chair, `<h1>Background</h1>${filler(1)}<h2>Working methods</h2>${filler(31)}<h1>Annex</h1>${filler(61)}`);
  await expect.poll(() => documentText(chair), until).toContain('Paragraph 90 of');
  if ((await toggle(chair).getAttribute('aria-expanded')) !== 'true') await toggle(chair).click();
  await expect.poll(() => entries(chair), until).toEqual(['Background', 'Working methods', 'Annex']);
  // The caret is at the end, in the Annex: its entry is marked.
  await expect.poll(() => panel(chair).locator('[aria-current="location"]').textContent(), until).toBe('Annex');

  const headingInView = (text: string) =>
    chair.evaluate((wanted) => {
      const heading = Array.from(document.querySelectorAll('.document-text h1, .document-text h2')).find((element) => element.textContent === wanted)!;
      const box = heading.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight / 2;
    }, text);

  await panel(chair).getByRole('button', { name: 'Working methods' }).click();
  await expect.poll(() => headingInView('Working methods'), until).toBe(true);
  expect(await inText(chair)).toBe(true);
  await chair.keyboard.type('Our ');
  await expect.poll(() => entries(chair), until).toEqual(['Background', 'Our Working methods', 'Annex']);
  await expect.poll(() => panel(chair).locator('[aria-current="location"]').textContent(), until).toBe('Our Working methods');

  // The keyboard: Ctrl+Alt+O closes (back in the text), opens again at the caret's section.
  await chair.keyboard.press('Control+Alt+O');
  await expect.poll(() => panel(chair).count(), until).toBe(0);
  expect(await inText(chair)).toBe(true);
  await chair.keyboard.press('Control+Alt+O');
  await expect.poll(() => focusedText(chair), until).toBe('Our Working methods');
  await chair.keyboard.press('ArrowUp');
  await expect.poll(() => focusedText(chair), until).toBe('Background');
  await chair.keyboard.press('End');
  await expect.poll(() => focusedText(chair), until).toBe('Annex');
  await chair.keyboard.press('Enter');
  await expect.poll(() => inText(chair), until).toBe(true);
  await expect.poll(() => headingInView('Annex'), until).toBe(true);
  await settleCaret(chair);
  await chair.keyboard.type('I ');
  await expect.poll(() => entries(chair), until).toEqual(['Background', 'Our Working methods', 'I Annex']);
  // Esc in the panel returns to the text too.
  await panel(chair).getByRole('button', { name: 'Background' }).focus();
  await chair.keyboard.press('Escape');
  await expect.poll(() => inText(chair), until).toBe(true);
});

it('on a narrow window the outline lies over the page and gives way once a heading is chosen; the find bar fits', async () => {
  await chair.setViewportSize({ width: 760, height: 800 });
  try {
    await newDraft('Narrow outline');
    await pasteHtml(chair, '<h1>Background</h1><p>The Working Group on Strategy met in Geneva.</p><h2>Working methods</h2><p>Intersessional work continues.</p>');
    await expect.poll(() => documentText(chair), until).toContain('Intersessional work');
    if ((await toggle(chair).getAttribute('aria-expanded')) !== 'true') await toggle(chair).click();
    await expect.poll(() => entries(chair), until).toEqual(['Background', 'Working methods']);
    const layout = await chair.evaluate(() => {
      const outline = document.querySelector('#outline-panel')!.getBoundingClientRect();
      const paper = document.querySelector('.paper')!.getBoundingClientRect();
      return { position: getComputedStyle(document.querySelector('#outline-panel')!).position, paperWidth: paper.width, outlineRight: outline.right };
    });
    // Fixed over the page: the page keeps the window's width.
    expect(layout.position).toBe('fixed');
    expect(layout.paperWidth).toBeGreaterThan(700);
    await chair.keyboard.press('Control+F');
    await chair.keyboard.type('work');
    await expect.poll(() => chair.getByTestId('find-count').textContent(), until).toMatch(/^1 of 3$/);
    const bar = await chair.getByTestId('find-bar').boundingBox();
    expect(bar!.x).toBeGreaterThanOrEqual(0);
    expect(bar!.x + bar!.width).toBeLessThanOrEqual(760);
    await screenshot(chair, 'outline-narrow');
    await chair.keyboard.press('Escape');
    // Choosing a heading puts the caret there and the panel out of the way.
    await panel(chair).getByRole('button', { name: 'Working methods' }).click();
    await expect.poll(() => panel(chair).count(), until).toBe(0);
    expect(await inText(chair)).toBe(true);
    await chair.keyboard.type('Our ');
    await expect.poll(() => documentText(chair), until).toContain('Our Working methods');
  } finally {
    await chair.setViewportSize({ width: 1280, height: 860 });
  }
});

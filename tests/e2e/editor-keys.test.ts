/**
 * Keys as Docs and Word users press them (issue 17): redo with nothing to redo changes nothing;
 * smart quotes and dashes;
 * Tab stays in the text (indents list items) and Esc then Tab leaves it; Ctrl+P prints the
 * document, not the app around it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { createDocument, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { ARTIFACTS_DIR, documentText, editorText, launchBrowser, openDocument, settleCaret } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let page: Page;

const until = { timeout: 10_000, interval: 100 };
const focusInText = () => page.evaluate(() => Boolean(document.activeElement?.closest('.document-text')));

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Concettina Cassa' });
  page = await (await signedInContext(browser, server.url, group.chair)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  const id = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Contribution to the EGM');
  await openDocument(page, server.url, id);
  await editorText(page).click();
});

it('redo with nothing left to redo (Ctrl+Shift+Z, Ctrl+Y) leaves the text as it is; after an undo it redoes', async () => {
  await page.keyboard.type('The MAG Working Group');
  await expect.poll(() => documentText(page), until).toBe('The MAG Working Group');
  await page.keyboard.press('Control+Shift+Z');
  await page.keyboard.press('Control+Y');
  await settleCaret(page);
  expect(await documentText(page)).toBe('The MAG Working Group');
  await page.keyboard.press('Control+Z');
  await expect.poll(() => documentText(page), until).toBe('');
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(() => documentText(page), until).toBe('The MAG Working Group');
  // Redone all there was: more redo presses change nothing.
  for (const key of ['Control+Shift+Z', 'Control+Y', 'Control+Shift+Z']) await page.keyboard.press(key);
  await settleCaret(page);
  expect(await documentText(page)).toBe('The MAG Working Group');
});

it('Tab stays in the text: nothing happens in a paragraph, a list item is indented; Esc then Tab leaves, Shift+Tab comes back', async () => {
  await page.keyboard.type('Options');
  await page.keyboard.press('Tab');
  await settleCaret(page);
  expect(await focusInText()).toBe(true);
  await page.keyboard.type(' Paper');
  await expect.poll(() => documentText(page), until).toBe('Options Paper');

  await page.keyboard.press('Enter');
  await page.keyboard.type('- V.1 Intersessional work');
  await page.keyboard.press('Enter');
  await page.keyboard.type('V.4 Capacity building');
  await page.keyboard.press('Tab');
  await expect.poll(() => page.locator('.document-text ul ul li').count(), until).toBe(1);
  expect(await page.locator('.document-text ul ul li').textContent()).toBe('V.4 Capacity building');
  expect(await focusInText()).toBe(true);
  await page.keyboard.press('Shift+Tab');
  await expect.poll(() => page.locator('.document-text ul ul li').count(), until).toBe(0);

  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect.poll(focusInText, until).toBe(false);
  // Whatever took the focus lies after the text on the page.
  expect(await page.evaluate(() => Boolean(document.querySelector('.document-text')!.compareDocumentPosition(document.activeElement!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
  // Typing now does not reach the document.
  const before = await documentText(page);
  await page.keyboard.press('Shift+Tab');
  await expect.poll(focusInText, until).toBe(true);
  expect(await documentText(page)).toBe(before);
});

it('Ctrl+P prints the title and the text, without the toolbar, header or panels', async () => {
  await page.keyboard.type('Introduction');
  await page.keyboard.press('Control+Alt+1');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('The Working Group welcomes the Options Paper.');
  await expect.poll(() => documentText(page), until).toContain('welcomes the Options Paper.');
  await page.emulateMedia({ media: 'print' });
  try {
    const shown = await page.evaluate(() =>
      Object.fromEntries(
        ['.editor-header', '.toolbar-bar', '.comments-panel', '.document-text'].map((selector) => {
          const element = document.querySelector(selector);
          return [selector, element ? getComputedStyle(element).display !== 'none' : null];
        }),
      ),
    );
    expect(shown).toEqual({ '.editor-header': false, '.toolbar-bar': false, '.comments-panel': false, '.document-text': true });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.paper')!, '::before').content)).toBe('"Contribution to the EGM"');
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const pdf = join(ARTIFACTS_DIR, 'editor-print.pdf');
    await page.pdf({ path: pdf, format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '20mm', right: '20mm' } });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Contribution to the EGM');
    expect(text).toContain('The Working Group welcomes the Options Paper.');
    expect(text).not.toMatch(/Comments|Copy link|Saved|Connected/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(ARTIFACTS_DIR, 'editor-print')]);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

it('makes quotes and dashes typographic as they are typed, and Backspace right after takes the replacement back', async () => {
  await page.keyboard.type(`The "Options Paper" -- it's the group's 'first' draft...`);
  await expect.poll(() => documentText(page), until).toBe('The \u201cOptions Paper\u201d \u2014 it\u2019s the group\u2019s \u2018first\u2019 draft\u2026');
  await page.keyboard.type(' 2--');
  await expect.poll(() => documentText(page), until).toMatch(/ 2\u2014$/);
  await page.keyboard.press('Backspace');
  await expect.poll(() => documentText(page), until).toMatch(/ 2--$/);
  // Nothing else is substituted: references stay as typed.
  await page.keyboard.type(' (c) 1/2 -> 2x3');
  await expect.poll(() => documentText(page), until).toMatch(/ 2-- \(c\) 1\/2 -> 2x3$/);
});

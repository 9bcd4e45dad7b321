/**
 * Find and replace in the editor, as a Google Docs user works it (issue 17): Ctrl+F opens the
 * document's find bar (not the browser's), matches are highlighted with the current one apart,
 * Enter / Shift+Enter / F3 move and scroll, match case and whole words narrow, Ctrl+H replaces,
 * Replace all is one undo step, Esc returns to the text; the current match stays put while a
 * collaborator types; observers and source papers get find without replace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { apiOk } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { axeViolations } from './support/axe';
import { documentText, editorText, launchBrowser, openDocument, pasteHtml, screenshot, settleCaret } from './support/browser';
import { REPO_ROOT, startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let member: TestAccount;
let observer: TestAccount;
let chair: Page;

const until = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  member = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  observer = await joinGroup(server.url, group, 'observer', 'Wim Degezelle');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const findBar = (page: Page) => page.getByRole('search');
const findField = (page: Page) => page.getByRole('textbox', { name: 'Find in document' });
const replaceField = (page: Page) => page.getByRole('textbox', { name: 'Replace with' });
const count = (page: Page) => page.getByTestId('find-count').textContent();
const matches = (page: Page) => page.locator('.document-text .find-match').allTextContents();
const current = (page: Page) => page.locator('.document-text [data-find-current]').textContent();
/** The text right after the current match: tells which occurrence it is. */
const afterCurrent = (page: Page) =>
  page.evaluate(() => document.querySelector('.document-text [data-find-current]')?.nextSibling?.textContent ?? null);
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
const inText = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest('.document-text')));

async function newDraft(title: string, paragraphs: string[]): Promise<string> {
  const id = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, title);
  await openDocument(chair, server.url, id);
  await editorText(chair).click();
  await pasteHtml(chair, paragraphs.map((text) => `<p>${text}</p>`).join(''));
  await expect.poll(() => documentText(chair), until).toContain(paragraphs.at(-1)!);
  return id;
}

it('Ctrl+F finds as you type, counts "n of m", moves with Enter, Shift+Enter and F3, narrows by case and whole word; Esc returns to the text', async () => {
  await newDraft('Find', ['The Forum met. The forum agreed.', 'Forums and the FORUM secretariat.']);
  await chair.keyboard.press('Control+F');
  await findField(chair).waitFor();
  expect(await focused(chair)).toBe('Find in document');
  await chair.keyboard.type('forum');
  await expect.poll(() => count(chair), until).toBe('1 of 4');
  expect(await matches(chair)).toEqual(['Forum', 'forum', 'Forum', 'FORUM']);
  expect(await current(chair)).toBe('Forum');
  // The current match looks different from the others.
  const colours = await chair.evaluate(() =>
    Array.from(document.querySelectorAll('.document-text .find-match')).map((element) => getComputedStyle(element).backgroundColor),
  );
  expect(new Set(colours).size).toBe(2);

  await chair.keyboard.press('Enter');
  await expect.poll(() => count(chair), until).toBe('2 of 4');
  expect(await current(chair)).toBe('forum');
  await chair.keyboard.press('F3');
  await expect.poll(() => count(chair), until).toBe('3 of 4');
  await chair.keyboard.press('Shift+Enter');
  await chair.keyboard.press('Shift+F3');
  await expect.poll(() => count(chair), until).toBe('1 of 4');
  await chair.keyboard.press('Shift+Enter');
  await expect.poll(() => count(chair), until).toBe('4 of 4');
  expect(await current(chair)).toBe('FORUM');

  await findBar(chair).getByRole('checkbox', { name: 'Whole words only' }).check();
  await expect.poll(() => matches(chair), until).toEqual(['Forum', 'forum', 'FORUM']);
  await findBar(chair).getByRole('checkbox', { name: 'Match case' }).check();
  await expect.poll(() => matches(chair), until).toEqual(['forum']);
  await findField(chair).fill('Forum');
  await expect.poll(() => count(chair), until).toBe('1 of 1');
  await findField(chair).fill('forums');
  await expect.poll(() => count(chair), until).toBe('No results');
  await findBar(chair).getByRole('checkbox', { name: 'Match case' }).uncheck();
  await findBar(chair).getByRole('checkbox', { name: 'Whole words only' }).uncheck();
  await findField(chair).fill('forum');
  await expect.poll(() => count(chair), until).toBe('1 of 4');
  await chair.keyboard.press('Enter');
  await expect.poll(() => count(chair), until).toBe('2 of 4');

  await screenshot(chair, 'find-bar');
  const violations = (await axeViolations(chair, '[data-testid="find-bar"]', { thorough: true })).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(violations).toEqual([]);

  // Esc: the bar closes, the highlights go, the caret is in the text on the match (typing replaces it).
  await chair.keyboard.press('Escape');
  await expect.poll(() => findBar(chair).count(), until).toBe(0);
  expect(await inText(chair)).toBe(true);
  expect(await chair.locator('.document-text .find-match').count()).toBe(0);
  await chair.keyboard.type('Assembly');
  await expect.poll(() => documentText(chair), until).toBe('The Forum met. The Assembly agreed.Forums and the FORUM secretariat.');
});

it('Enter scrolls a match far down the document into view', async () => {
  const filler = Array.from({ length: 70 }, (_, index) => `Paragraph ${index + 1} of the options paper.`);
  filler[2] = 'Intersessional work on the mandate.';
  filler[66] = 'The mandate of the Working Group.';
  await newDraft('Long', filler);
  await chair.keyboard.press('Control+Home');
  await settleCaret(chair);
  await chair.keyboard.press('Control+F');
  await chair.keyboard.type('mandate');
  await expect.poll(() => count(chair), until).toBe('1 of 2');
  const inView = () =>
    chair.evaluate(() => {
      const box = document.querySelector('.document-text [data-find-current]')!.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    });
  await chair.keyboard.press('Enter');
  await expect.poll(() => count(chair), until).toBe('2 of 2');
  await expect.poll(inView, until).toBe(true);
  await chair.keyboard.press('Enter');
  await expect.poll(() => count(chair), until).toBe('1 of 2');
  await expect.poll(inView, until).toBe(true);
  await chair.keyboard.press('Escape');
});

it('Ctrl+H replaces one match, then all the others in one step that one Ctrl+Z undoes', async () => {
  await newDraft('Replace', ['The forum met; the Forum agreed.', 'Each forum reports to the forum plenary, not to a forums list.']);
  await chair.keyboard.press('Control+H');
  await replaceField(chair).waitFor();
  expect(await focused(chair)).toBe('Find in document');
  await chair.keyboard.type('forum');
  await findBar(chair).getByRole('checkbox', { name: 'Whole words only' }).check();
  await expect.poll(() => count(chair), until).toBe('1 of 4');
  await replaceField(chair).fill('IGF');
  await findBar(chair).getByRole('button', { name: 'Replace', exact: true }).click();
  await expect.poll(() => documentText(chair), until).toBe('The IGF met; the Forum agreed.Each forum reports to the forum plenary, not to a forums list.');
  await expect.poll(() => count(chair), until).toBe('1 of 3');
  expect(await current(chair)).toBe('Forum');
  await screenshot(chair, 'find-replace');
  const violations = (await axeViolations(chair, '[data-testid="find-bar"]', { thorough: true })).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(violations).toEqual([]);
  await findBar(chair).getByRole('button', { name: 'Replace all' }).click();
  await expect.poll(() => documentText(chair), until).toBe('The IGF met; the IGF agreed.Each IGF reports to the IGF plenary, not to a forums list.');
  expect(await chair.getByTestId('find-notice').textContent()).toBe('Replaced 3 matches');
  expect(await count(chair)).toBe('No results');

  await chair.keyboard.press('Escape');
  await expect.poll(() => inText(chair), until).toBe(true);
  await chair.keyboard.press('Control+Z');
  await expect.poll(() => documentText(chair), until).toBe('The IGF met; the Forum agreed.Each forum reports to the forum plenary, not to a forums list.');
  await chair.keyboard.press('Control+Z');
  await expect.poll(() => documentText(chair), until).toBe('The forum met; the Forum agreed.Each forum reports to the forum plenary, not to a forums list.');
  await chair.keyboard.press('Control+Y');
  await chair.keyboard.press('Control+Y');
  await expect.poll(() => documentText(chair), until).toBe('The IGF met; the IGF agreed.Each IGF reports to the IGF plenary, not to a forums list.');
});

it('the current match stays the same occurrence while a collaborator types before it', async () => {
  const id = await newDraft('Live', ['Alpha forum one. Beta forum two. Gamma forum three.']);
  const amrita = await (await signedInContext(browser, server.url, member)).newPage();
  try {
    await openDocument(amrita, server.url, id);
    await expect.poll(() => documentText(amrita), until).toContain('Gamma forum three.');
    await chair.keyboard.press('Control+F');
    await chair.keyboard.type('forum');
    await expect.poll(() => count(chair), until).toBe('1 of 3');
    await chair.keyboard.press('Enter');
    await expect.poll(() => count(chair), until).toBe('2 of 3');
    expect(await afterCurrent(chair)).toMatch(/^ two\./);

    await editorText(amrita).click();
    await amrita.keyboard.press('Control+Home');
    await settleCaret(amrita);
    await amrita.keyboard.type('Opening. ');
    await expect.poll(() => documentText(chair), until).toMatch(/^Opening\. Alpha/);
    expect(await count(chair)).toBe('2 of 3');
    expect(await afterCurrent(chair)).toMatch(/^ two\./);

    await amrita.keyboard.type('The forum. ');
    await expect.poll(() => count(chair), until).toBe('3 of 4');
    expect(await afterCurrent(chair)).toMatch(/^ two\./);
    expect(await matches(chair)).toHaveLength(4);
    // And the search field kept the focus all along.
    expect(await focused(chair)).toBe('Find in document');
    await chair.keyboard.press('Escape');
  } finally {
    await amrita.close();
  }
});

it('observers and source papers get find but not replace', async () => {
  const id = await newDraft('Observed', ['The forum met.']);
  const wim = await (await signedInContext(browser, server.url, observer)).newPage();
  try {
    await wim.goto(`${server.url}/d/${id}`);
    await expect.poll(() => documentText(wim), until).toBe('The forum met.');
    await wim.keyboard.press('Control+H');
    await findField(wim).waitFor();
    await wim.keyboard.type('forum');
    await expect.poll(() => count(wim), until).toBe('1 of 1');
    expect(await replaceField(wim).count()).toBe(0);
    expect(await findBar(wim).getByRole('button', { name: 'Replace' }).count()).toBe(0);
  } finally {
    await wim.close();
  }

  const source = await apiOk<{ id: string }>(
    server.url,
    { cookie: group.chair.cookie },
    'POST',
    '/api/sources/import',
    { groupId: group.id, format: 'text', content: readFileSync(join(REPO_ROOT, '../shared/samples/wg-priorities-from-options-paper.txt'), 'utf8'), citeAs: 'Options Paper' },
    201,
  );
  await chair.goto(`${server.url}/d/${source.id}`);
  // A whole paper: more time to arrive on a busy machine.
  await expect.poll(() => documentText(chair), { timeout: 30_000, interval: 200 }).toContain('communication between different fora');
  await chair.keyboard.press('Control+H');
  await findField(chair).waitFor();
  await chair.keyboard.type('fora');
  await expect.poll(() => count(chair), until).toMatch(/^1 of \d+$/);
  expect(await replaceField(chair).count()).toBe(0);
  expect(await findBar(chair).getByRole('button', { name: 'Replace' }).count()).toBe(0);
});

/**
 * The editor's own actions, driven as a person would (keyboard shortcuts, toolbar buttons,
 * dialogs), checked on what the document then shows: headings, numbering, links (and refusing
 * javascript: ones), tables, footnotes, paste from Word, undo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { createDocument, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, pasteHtml, screenshot, settleCaret } from './support/browser';
import { sampleToHtml } from './support/sample-html';
import { REPO_ROOT, startServer, type TestServer } from './support/server';

const SAMPLES_DIR = process.env.CONCORD_SAMPLES_DIR ?? join(REPO_ROOT, '../shared/samples');

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let page: Page;

const editor = () => page.locator('.document-text');
/** A toolbar button by its label; its accessible name may add the visible text after it ("Heading 1, H1"). */
const toolbarButton = (name: string) =>
  page.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(, .*)?$`) });

beforeAll(async () => {
  // One after the other: if the browser fails to launch, afterAll still stops the server.
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Concettina Cassa' });
  const context = await signedInContext(browser, server.url, group.chair);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  const id = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Editor actions');
  await openDocument(page, server.url, id);
  await editorText(page).click();
});

/** Ends the current block and starts a new paragraph after it. */
async function startNewParagraph(): Promise<void> {
  await page.keyboard.press('End');
  await settleCaret(page);
  await page.keyboard.press('Enter');
}

it('makes headings with Ctrl+Alt+1…3 and the toolbar, and numbers them 1., 1.1, 1.1.1 when asked', async () => {
  await page.keyboard.type('Introduction');
  await page.keyboard.press('Control+Alt+1');
  await startNewParagraph();
  await page.keyboard.type('Scope');
  await toolbarButton('Heading 2').click();
  await startNewParagraph();
  await page.keyboard.type('Participants');
  await page.keyboard.press('Control+Alt+3');
  await startNewParagraph();
  await page.keyboard.type('Body text.');

  await expect.poll(() => editor().locator('h1').allTextContents()).toEqual(['Introduction']);
  expect(await editor().locator('h2').allTextContents()).toEqual(['Scope']);
  expect(await editor().locator('h3').allTextContents()).toEqual(['Participants']);
  // (An empty paragraph may follow: the editor keeps one after the last block to type into.)
  expect((await editor().locator(':scope > p').allTextContents()).filter(Boolean)).toEqual(['Body text.']);
  expect(await toolbarButton('Heading 2').getAttribute('aria-pressed')).toBe('false');

  const numbering = toolbarButton('Number headings (1., 1.1, 1.1.1) for everyone');
  await numbering.click();
  expect(await numbering.getAttribute('aria-pressed')).toBe('true');
  await expect.poll(() => editor().locator('h1, h2, h3').allInnerTexts()).toEqual(['1. Introduction', '1.1 Scope', '1.1.1 Participants']);
  // The numbers are shown, not written into the text.
  await toolbarButton('Heading 1').focus();
  expect(await documentText(page)).toContain('1. Introduction');
  await numbering.click();
  await expect.poll(() => editor().locator('h1, h2, h3').allInnerTexts()).toEqual(['Introduction', 'Scope', 'Participants']);
});

it('applies bold, italic, underline and strike with the usual shortcuts', async () => {
  await page.keyboard.press('Control+b');
  await page.keyboard.type('bold');
  await page.keyboard.press('Control+b');
  await page.keyboard.press('Control+i');
  await page.keyboard.type(' italic');
  await page.keyboard.press('Control+i');
  await page.keyboard.press('Control+u');
  await page.keyboard.type(' under');
  await page.keyboard.press('Control+u');
  await page.keyboard.press('Control+Shift+s');
  await page.keyboard.type(' gone');
  expect(await editor().locator('strong').textContent()).toBe('bold');
  expect(await editor().locator('em').textContent()).toBe(' italic');
  expect(await editor().locator('u').textContent()).toBe(' under');
  expect(await editor().locator('s').textContent()).toBe(' gone');
  expect(await toolbarButton('Strikethrough').getAttribute('aria-pressed')).toBe('true');
});

it('refuses javascript: links in the link dialog, in typed text and in pasted HTML; accepts web links', async () => {
  await page.keyboard.type('Read the charter');
  await page.keyboard.press('Shift+Control+ArrowLeft'); // select "charter"
  await settleCaret(page);
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Insert link' });
  await dialog.getByLabel('Web or e-mail address').fill('javascript:alert(document.cookie)');
  await dialog.getByRole('button', { name: 'Insert link' }).click();
  await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Only web addresses');
  expect(await editor().locator('a').count()).toBe(0);

  await dialog.getByLabel('Web or e-mail address').fill('intgovforum.org/en/content/wg-strategy');
  await dialog.getByRole('button', { name: 'Insert link' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(await editor().locator('a').getAttribute('href')).toBe('https://intgovforum.org/en/content/wg-strategy');
  expect(await editor().locator('a').textContent()).toBe('charter');

  // Typed: a web address becomes a link, a javascript: "address" does not.
  await page.keyboard.press('End');
  await settleCaret(page);
  await page.keyboard.type(' and https://www.intgovforum.org and javascript:alert(1) done');
  await expect.poll(() => editor().locator('a').count()).toBe(2);
  expect(await editor().locator('a').nth(1).getAttribute('href')).toBe('https://www.intgovforum.org');

  // Pasted: the text stays, the javascript: link doesn't.
  await page.keyboard.press('Enter');
  await pasteHtml(page, '<p>Pasted <a href="javascript:alert(1)">bad link</a> and <a href="https://example.org/ok">good link</a></p>');
  await expect.poll(() => documentText(page)).toContain('Pasted bad link and good link');
  const hrefs = await editor().locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  expect(hrefs).toEqual(['https://intgovforum.org/en/content/wg-strategy', 'https://www.intgovforum.org', 'https://example.org/ok']);
});

it('inserts a table with a header row, adds and removes rows and columns', async () => {
  await page.keyboard.type('Mapping of activities');
  await page.keyboard.press('Enter');
  await toolbarButton('Insert table').click();
  const table = editor().locator('table');
  await table.waitFor();
  const shape = async () => table.locator('tr').evaluateAll((rows) => rows.map((row) => Array.from(row.children).map((cell) => cell.tagName.toLowerCase())));
  expect(await shape()).toEqual([
    ['th', 'th', 'th'],
    ['td', 'td', 'td'],
    ['td', 'td', 'td'],
  ]);

  // The caret is in the first header cell: fill the header, add a fourth column like the annex.
  await page.keyboard.type('Area of work');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Roadmap activities');
  await page.keyboard.press('Tab');
  await page.keyboard.type('IGF activities');
  await toolbarButton('Insert column right').click();
  await page.keyboard.press('Tab');
  await page.keyboard.type('Synergies');
  await toolbarButton('Insert row below').click();
  expect(await shape()).toEqual([
    ['th', 'th', 'th', 'th'],
    ['td', 'td', 'td', 'td'],
    ['td', 'td', 'td', 'td'],
    ['td', 'td', 'td', 'td'],
  ]);
  expect(await table.locator('tr').first().locator('th').allTextContents()).toEqual(['Area of work', 'Roadmap activities', 'IGF activities', 'Synergies']);

  await table.locator('tr').nth(2).locator('td').first().click();
  await page.keyboard.type('Global connectivity');
  await toolbarButton('Delete row').click();
  expect((await shape()).length).toBe(3);
  expect(await documentText(page)).not.toContain('Global connectivity');
  await table.locator('tr').nth(1).locator('td').nth(1).click();
  await toolbarButton('Delete column').click();
  expect((await shape())[0]).toEqual(['th', 'th', 'th']);
  await table.locator('tr').first().locator('th').first().click();
  await toolbarButton('Header row').click();
  expect((await shape())[0]).toEqual(['td', 'td', 'td']);
  await toolbarButton('Header row').click();
  expect((await shape())[0]).toEqual(['th', 'th', 'th']);
  await screenshot(page, 'editor-table');
});

it('adds footnotes numbered in reading order, lists and edits their text, and undoes', async () => {
  await page.keyboard.type('The co-chairs of the working group thank its members.');
  await page.keyboard.press('Home');
  await settleCaret(page);
  for (let i = 0; i < 'The co-chairs'.length; i += 1) await page.keyboard.press('ArrowRight');
  await toolbarButton('Insert footnote').click();
  let dialog = page.getByRole('dialog', { name: 'Insert footnote' });
  await dialog.getByLabel('Note text').fill('Concettina Cassa and Anriette Esterhuysen.');
  await dialog.getByRole('button', { name: 'Insert footnote' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // A second note at the end with the keyboard shortcut.
  await page.keyboard.press('End');
  await settleCaret(page);
  await page.keyboard.press('Control+Alt+f');
  dialog = page.getByRole('dialog', { name: 'Insert footnote' });
  await dialog.getByLabel('Note text').fill('Members listed in Annex 2.');
  await dialog.getByRole('button', { name: 'Insert footnote' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const references = editor().locator('sup.footnote-ref');
  await expect.poll(() => references.allTextContents()).toEqual(['1', '2']);
  const notes = page.getByTestId('footnotes').locator('.footnotes__text');
  expect(await notes.allTextContents()).toEqual(['Concettina Cassa and Anriette Esterhuysen.', 'Members listed in Annex 2.']);
  expect(await references.first().getAttribute('aria-label')).toBe('Footnote 1: Concettina Cassa and Anriette Esterhuysen.');

  // A new note before both renumbers them: click right after "The".
  const afterThe = await editor().evaluate((element) => {
    const text = element.querySelector('p')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 3);
    range.setEnd(text, 3);
    const box = range.getBoundingClientRect();
    return { x: box.left, y: box.top + box.height / 2 };
  });
  await page.mouse.click(afterThe.x, afterThe.y);
  await settleCaret(page);
  await page.keyboard.press('Control+Alt+f');
  dialog = page.getByRole('dialog', { name: 'Insert footnote' });
  await dialog.getByLabel('Note text').fill('The MAG Working Group on Strategy.');
  await dialog.getByRole('button', { name: 'Insert footnote' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await expect.poll(() => notes.allTextContents()).toEqual([
    'The MAG Working Group on Strategy.',
    'Concettina Cassa and Anriette Esterhuysen.',
    'Members listed in Annex 2.',
  ]);
  expect(await references.allTextContents()).toEqual(['1', '2', '3']);
  expect((await editor().locator('p').first().innerText()).trim()).toBe('The1 co-chairs2 of the working group thank its members.3');

  // Edit note 2 by clicking its number in the text.
  await references.nth(1).click();
  dialog = page.getByRole('dialog', { name: 'Footnote 2' });
  await expect.poll(() => dialog.getByLabel('Note text').inputValue()).toBe('Concettina Cassa and Anriette Esterhuysen.');
  await dialog.getByLabel('Note text').fill('The co-chairs in 2020.');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => notes.nth(1).textContent()).toBe('The co-chairs in 2020.');
  await screenshot(page, 'editor-footnotes');

  // Undo takes back the edit, then the last inserted note.
  await editorText(page).focus();
  await page.keyboard.press('Control+z');
  await expect.poll(() => notes.nth(1).textContent()).toBe('Concettina Cassa and Anriette Esterhuysen.');
  await page.keyboard.press('Control+z');
  await expect.poll(() => references.count()).toBe(2);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => references.count()).toBe(3);
});

it('keeps headings, lists, tables and links when pasting from Word, without Word’s styling', async () => {
  await pasteHtml(page, readFileSync(join(REPO_ROOT, 'tests/client/fixtures/word-desktop.html'), 'utf8'));
  await expect.poll(() => editor().locator('h1').allTextContents()).toEqual(['Contribution to the IGF Expert Group Meeting', 'Acknowledgements']);
  expect(await editor().locator('ul > li').count()).toBeGreaterThanOrEqual(2);
  expect(await editor().locator('ol > li').allTextContents()).toEqual(['Response to the Options Paper', 'Parliamentary track non-paper']);
  expect(await editor().locator('table tr').count()).toBe(2);
  expect(await editor().locator('a').getAttribute('href')).toBe('https://www.intgovforum.org/en/content/wg-strategy');
  expect(await editor().locator('sup.footnote-ref').count()).toBe(1);
  expect(await editor().evaluate((element) => element.innerHTML)).not.toMatch(/mso-|Mso|font-family/);
});

it('takes a whole working-group paper (sample) pasted in, with its sections, lists, footnote and four-column table', async () => {
  await pasteHtml(page, sampleToHtml(join(SAMPLES_DIR, 'wg-contribution-to-egm-2022.txt'), { maxTableRows: 3 }));
  await expect.poll(() => editor().locator('h1').count()).toBe(6);
  expect(await editor().locator('h1').first().textContent()).toBe('ACKNOWLEDGEMENTS');
  expect(await editor().locator('h2').count()).toBeGreaterThanOrEqual(5);
  expect(await editor().locator(':scope > ul > li').count()).toBeGreaterThanOrEqual(10);
  const headerCells = editor().locator('table tr').first().locator('th');
  expect(await headerCells.allTextContents()).toEqual([
    'Area of work',
    'Roadmap activities',
    'IGF relevant past activities and ongoing activities',
    'Comments/Synergies between Roadmap and IGF activities',
  ]);
  expect(await editor().locator('table tr').count()).toBe(4);
  expect(await page.getByTestId('footnotes').locator('.footnotes__text').allTextContents()).toEqual([
    'Concettina Casa, former MAG member, Amrita Choudhury, IGF MAG member, Roman Chukov former MAG member, Chris Buckridge IGF MAG member',
  ]);
  await toolbarButton('Number headings (1., 1.1, 1.1.1) for everyone').click();
  await expect.poll(() => editor().locator('h1').first().innerText()).toBe('1. ACKNOWLEDGEMENTS');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'editor-sample-paper');
  await editor().locator('table').evaluate((table) => {
    table.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -140); // below the sticky header and toolbar
  });
  await screenshot(page, 'editor-sample-table');
});

it('is usable from the keyboard: Alt+F10 reaches the toolbar, arrows move in it, Escape returns', async () => {
  await page.keyboard.type('Keyboard');
  await page.keyboard.press('Alt+F10');
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
  expect(await focusedLabel()).toBe('Undo');
  await page.keyboard.press('ArrowRight'); // Redo is disabled (nothing undone yet) and skipped
  expect(await focusedLabel()).toBe('Normal text');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter'); // Heading 1
  await expect.poll(() => editor().locator('h1').textContent()).toBe('Keyboard');
  await page.keyboard.press('Escape');
  await expect.poll(focusedLabel).toBe('Document text');
});

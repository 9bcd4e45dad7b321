/**
 * Word count (issue 17), as in Google Docs: Ctrl+Shift+C opens a dialog with the document's words,
 * characters (with and without spaces) and paragraphs, and the selection's beside them when text
 * is selected; it follows a collaborator's typing while open; Esc returns to the text.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { axeViolations } from './support/axe';
import { documentText, editorText, launchBrowser, openDocument, pasteHtml, screenshot } from './support/browser';
import { selectText } from './support/comments';
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

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Word count' });
/** The table as rows of cells: [label, (selection,) document]. */
const table = (page: Page) =>
  dialog(page)
    .locator('tr')
    .evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent ?? '')));

it('Ctrl+Shift+C counts the document, and the selection beside it; Esc returns to the text', async () => {
  const id = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Word count');
  await openDocument(chair, server.url, id);
  await editorText(chair).click();
  await pasteHtml(chair, '<h1>Introduction</h1><p>The Working Group welcomes the Options Paper.</p><p></p><ul><li><p>A well-known item</p></li></ul>');
  await expect.poll(() => documentText(chair), until).toContain('well-known item');

  await chair.keyboard.press('Control+Shift+C');
  await dialog(chair).waitFor();
  expect(await table(chair)).toEqual([
    ['', 'Document'],
    ['Words', '11'],
    ['Characters', '74'],
    ['Characters excluding spaces', '66'],
    ['Paragraphs', '3'],
  ]);
  // The OK button has the focus: Enter closes, as Escape does.
  await chair.keyboard.press('Escape');
  await expect.poll(() => dialog(chair).count(), until).toBe(0);
  await expect.poll(() => chair.evaluate(() => Boolean(document.activeElement?.closest('.document-text'))), until).toBe(true);

  await selectText(chair, 'Working Group welcomes');
  await chair.keyboard.press('Control+Shift+C');
  await dialog(chair).waitFor();
  expect(await table(chair)).toEqual([
    ['', 'Selection', 'Document'],
    ['Words', '3', '11'],
    ['Characters', '22', '74'],
    ['Characters excluding spaces', '20', '66'],
    ['Paragraphs', '1', '3'],
  ]);
  await screenshot(chair, 'word-count');
  const violations = (await axeViolations(chair, 'dialog.word-count-dialog', { thorough: true })).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(violations).toEqual([]);

  // A collaborator adds a paragraph while the dialog is open: the document's numbers follow.
  const amrita = await (await signedInContext(browser, server.url, member)).newPage();
  try {
    await openDocument(amrita, server.url, id);
    await expect.poll(() => documentText(amrita), until).toContain('well-known item');
    await editorText(amrita).click();
    await amrita.keyboard.press('Control+End');
    await amrita.keyboard.press('Enter');
    await amrita.keyboard.press('Enter');
    await amrita.keyboard.type('Two more.');
    await expect.poll(async () => (await table(chair))[1], until).toEqual(['Words', '3', '13']);
    expect((await table(chair))[4]).toEqual(['Paragraphs', '1', '4']);
  } finally {
    await amrita.close();
  }
  await dialog(chair).getByRole('button', { name: 'OK' }).click();
  await expect.poll(() => dialog(chair).count(), until).toBe(0);
});

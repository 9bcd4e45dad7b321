/**
 * Exporting a PDF from the editor: a member opens Export in the header, chooses Letter paper and
 * no table of contents, and the browser downloads "<title>.pdf", a real PDF on Letter paper
 * (792 pt high) with the draft's paragraph; the dialog shows its progress while the server
 * prepares the file and can be cancelled. An observer (read-only) exports too, a named version
 * this time, from the keyboard: the PDF has the version's text, not the current one. Failures
 * are explained in words, and the focus comes back to the Export button.
 */
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser, Download, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { apiOk } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let memberAccount: TestAccount;
let observerAccount: TestAccount;
let member: Page;
let observer: Page;
let documentId: string;

const until = { timeout: 10_000, interval: 100 };
const TITLE = 'Strategy paper';
const VERSION_TEXT = 'The IGF should strengthen its intersessional work with national initiatives.';
const CURRENT_TEXT = 'The MAG recommends a multi-year strategic work programme for the Forum.';
const EXPORT_PATH = `**/api/documents/*/export.pdf*`;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  memberAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  observerAccount = await joinGroup(server.url, group, 'observer', 'Wim Degezelle');
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, TITLE);
  member = await (await signedInContext(browser, server.url, memberAccount)).newPage();
  observer = await (await signedInContext(browser, server.url, observerAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('has a draft with a named version and newer text', async () => {
  // The member writes the first text; the co-chair names it "1st Draft"; the member rewrites it.
  await openDocument(member, server.url, documentId);
  await editorText(member).click();
  await member.keyboard.type(VERSION_TEXT);
  await openDocument(observer, server.url, documentId);
  await expect.poll(() => documentText(observer), until).toBe(VERSION_TEXT);
  await apiOk(server.url, group.chair.auth, 'POST', `/api/documents/${documentId}/versions`, { name: '1st Draft', meetingDate: '2020-09-29' }, 201);
  await editorText(member).click();
  await member.keyboard.press('Control+A');
  await member.keyboard.type(CURRENT_TEXT);
  await expect.poll(() => documentText(observer), until).toBe(CURRENT_TEXT);
});

function exportDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Export' });
}

/** The PDF's text (white space removed: lines break anywhere) and its first page's height in points. */
async function readPdf(bytes: Buffer): Promise<{ text: string; pageHeight: number; pageWidth: number }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  let text = '';
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    for (const item of content.items) if ('str' in item) text += item.str;
  }
  const first = await pdf.getPage(1);
  const [, , width, height] = first.view;
  await pdf.destroy();
  return { text: squash(text), pageHeight: Math.round(height), pageWidth: Math.round(width) };
}

const squash = (value: string) => value.normalize('NFKC').replace(/[\s\u00ad\u200b-\u200f]+/gu, '');

async function downloaded(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

it('lets a member export the current text as a PDF on Letter paper without a table of contents', async () => {
  const exportButton = member.getByRole('button', { name: 'Export', exact: true });
  await exportButton.click();
  const dialog = exportDialog(member);
  await dialog.waitFor();

  // The defaults: PDF, A4, contents, the document's numbering (off here), the watermark, the current text.
  expect(await dialog.getByRole('radio', { name: /^PDF/ }).isChecked()).toBe(true);
  expect(await dialog.getByRole('radio', { name: /^Word \(\.docx\)/ }).isChecked()).toBe(false);
  expect(await dialog.getByRole('radio', { name: /^Markdown \(\.md\)/ }).isChecked()).toBe(false);
  expect(await dialog.getByRole('radio', { name: /A4/ }).isChecked()).toBe(true);
  expect(await dialog.getByRole('checkbox', { name: 'Table of contents' }).isChecked()).toBe(true);
  expect(await dialog.getByRole('checkbox', { name: /Numbered headings/ }).isChecked()).toBe(false);
  expect(await dialog.getByRole('checkbox', { name: /DRAFT/ }).isChecked()).toBe(true);
  const content = dialog.getByRole('combobox', { name: 'Content' });
  expect(await content.inputValue()).toBe('current');
  await expect.poll(() => content.locator('option').allInnerTexts(), until).toEqual(['Current text', '1st Draft (Sep 29, 2020)']);

  await dialog.getByRole('radio', { name: /Letter/ }).check();
  await dialog.getByRole('checkbox', { name: 'Table of contents' }).uncheck();
  await screenshot(member, 'export-dialog');

  // Held back until the progress is seen (and photographed); then let through.
  let release!: () => void;
  const held = new Promise<void>((done) => (release = done));
  const requests: URL[] = [];
  await member.route(EXPORT_PATH, async (route: Route) => {
    requests.push(new URL(route.request().url()));
    await held;
    await route.continue();
  });

  const downloadEvent = member.waitForEvent('download', { timeout: 30_000 });
  const submit = dialog.getByRole('button', { name: 'Export PDF' });
  await submit.click();
  const progress = dialog.getByRole('status');
  await progress.getByText('Preparing the PDF…').waitFor();
  expect(await submit.isDisabled()).toBe(true);
  expect(await dialog.getByRole('radio', { name: /Letter/ }).isDisabled()).toBe(true);
  // The focus stays in the dialog, on the way out.
  expect(await member.evaluate(() => document.activeElement?.textContent)).toBe('Cancel export');
  await screenshot(member, 'export-progress');
  release();

  const download = await downloadEvent;
  await dialog.waitFor({ state: 'hidden' });
  expect(download.suggestedFilename()).toBe(`${TITLE}.pdf`);
  const pdf = await downloaded(download);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const read = await readPdf(pdf);
  expect(read.text).toContain(squash(CURRENT_TEXT));
  expect(read.text).not.toContain(squash(VERSION_TEXT));
  expect(read.pageHeight).toBe(792);
  expect(read.pageWidth).toBe(612);

  expect(requests).toHaveLength(1);
  expect(Object.fromEntries(requests[0].searchParams)).toEqual({ paper: 'letter', toc: 'false', numbered: 'false', watermark: 'true' });
  // Back on the Export button.
  await expect.poll(() => member.evaluate(() => document.activeElement?.getAttribute('aria-label')), until).toBe('Export');
  await member.unroute(EXPORT_PATH);
});

it('lets the member cancel an export that takes long, and explains failures in words', async () => {
  const exportButton = member.getByRole('button', { name: 'Export', exact: true });
  const dialog = exportDialog(member);

  // Cancelled while the server works: nothing downloads, the dialog stays for another try.
  await member.route(EXPORT_PATH, async (route: Route) => {
    await new Promise((wait) => setTimeout(wait, 3000));
    await route.abort().catch(() => undefined);
  });
  let downloads = 0;
  member.on('download', () => downloads++);
  await exportButton.click();
  await dialog.getByRole('button', { name: 'Export PDF' }).click();
  await dialog.getByText('Preparing the PDF…').waitFor();
  await dialog.getByRole('button', { name: 'Cancel export' }).click();
  await dialog.getByText('Export cancelled: nothing was downloaded.').waitFor();
  expect(await dialog.getByRole('button', { name: 'Export PDF' }).isEnabled()).toBe(true);
  expect(await member.evaluate(() => document.activeElement?.textContent)).toBe('Export PDF');
  await member.unroute(EXPORT_PATH);

  // The server is busy: a sentence, not a code.
  await member.route(EXPORT_PATH, (route: Route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'export_busy', message: 'too many exports are waiting; try again in a minute' } }),
    }),
  );
  await dialog.getByRole('button', { name: 'Export PDF' }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toBe('The server is busy making other PDFs. Please try again in a minute.');
  await screenshot(member, 'export-error');

  await member.route(EXPORT_PATH, (route: Route) =>
    route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: { code: 'too_large', message: 'the document is too large to export' } }) }),
  );
  await dialog.getByRole('button', { name: 'Export PDF' }).click();
  await expect.poll(() => alert.textContent(), until).toContain('too long to be made into a PDF');
  await member.unroute(EXPORT_PATH);

  // Escape closes; the focus is back on the Export button.
  await member.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect(await member.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Export');
  expect(downloads).toBe(0);
});

it('numbers the headings by default when the document does', async () => {
  const numbering = member.getByRole('button', { name: /^Number headings/ });
  await numbering.click();
  await expect.poll(() => numbering.getAttribute('aria-pressed'), until).toBe('true');
  await member.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = exportDialog(member);
  await dialog.waitFor();
  expect(await dialog.getByRole('checkbox', { name: /Numbered headings/ }).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await numbering.click();
  await expect.poll(() => numbering.getAttribute('aria-pressed'), until).toBe('false');
});

it('lets an observer export a named version from the keyboard: the PDF has its text, not the current one', async () => {
  await observer.getByTestId('view-only-notice').waitFor();
  const exportButton = observer.getByRole('button', { name: 'Export', exact: true });
  // From the header with the keyboard: focus the button, Enter opens the dialog.
  await exportButton.focus();
  await observer.keyboard.press('Enter');
  const dialog = exportDialog(observer);
  await dialog.waitFor();
  // The first choice (the format, PDF) has the focus; Tab goes on to the paper size.
  expect(await observer.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('pdf');
  await observer.keyboard.press('Tab');
  expect(await observer.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('a4');
  await observer.keyboard.press('ArrowRight');
  expect(await dialog.getByRole('radio', { name: /Letter/ }).isChecked()).toBe(true);

  const content = dialog.getByRole('combobox', { name: 'Content' });
  await expect.poll(() => content.locator('option').count(), until).toBe(2);
  await content.selectOption({ label: '1st Draft (Sep 29, 2020)' });
  await dialog.getByText('The PDF has this version’s title and text').waitFor();
  await dialog.getByRole('checkbox', { name: 'Table of contents' }).uncheck();
  await screenshot(observer, 'export-dialog-version');

  const downloadEvent = observer.waitForEvent('download', { timeout: 30_000 });
  // Enter exports.
  await content.focus();
  await observer.keyboard.press('Enter');
  const download = await downloadEvent;
  await dialog.waitFor({ state: 'hidden' });
  expect(download.suggestedFilename()).toBe(`${TITLE}.pdf`);
  const pdf = await downloaded(download);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const read = await readPdf(pdf);
  expect(read.text).toContain(squash(VERSION_TEXT));
  expect(read.text).not.toContain(squash(CURRENT_TEXT));
  expect(read.pageHeight).toBe(792);
  await expect.poll(() => observer.evaluate(() => document.activeElement?.getAttribute('aria-label')), until).toBe('Export');
});

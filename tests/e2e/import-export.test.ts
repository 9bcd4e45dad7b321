/**
 * Importing and exporting files: a member imports a Markdown file (a heading, a list, a paragraph)
 * from the group page's "Import…" dialog and lands in the new draft, whose editor shows them; then
 * exports it through the Export dialog as a Word file and as Markdown: the browser downloads
 * "<title>.docx" (a zip) and "<title>.md" (with the paragraph). A file that isn't Markdown or Word,
 * or is over the size limit, is refused before anything is sent. An observer sees no "Import…" button.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { IMPORT_MAX_FILE_BYTES } from '../../shared/api/index';
import { joinGroup, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let member: Page;
let observer: Page;

const until = { timeout: 10_000, interval: 100 };
const TITLE = 'Intersessional work plan';
const HEADING = 'Proposed activities';
const ITEMS = ['Best practice forums', 'Policy networks'];
const PARAGRAPH = 'The MAG recommends strengthening links with national and regional initiatives.';
const MARKDOWN = `# ${TITLE}\n\n## ${HEADING}\n\n- ${ITEMS[0]}\n- ${ITEMS[1]}\n\n${PARAGRAPH}\n`;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  const memberAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  const observerAccount = await joinGroup(server.url, group, 'observer', 'Wim Degezelle');
  member = await (await signedInContext(browser, server.url, memberAccount)).newPage();
  observer = await (await signedInContext(browser, server.url, observerAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('lets a member import a Markdown file from the group page and opens the new draft', async () => {
  await member.goto(`${server.url}/g/${group.id}`);
  const importButton = member.getByRole('button', { name: 'Import…' });
  await importButton.click();
  const dialog = member.getByRole('dialog', { name: 'Import a draft' });
  await dialog.waitFor();
  const fileInput = dialog.getByLabel('File');
  expect(await fileInput.getAttribute('accept')).toBe('.docx,.md,.markdown,.txt');

  // Not a format that can be imported: said at once, nothing is sent.
  await fileInput.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
  await dialog.getByText('Choose a Word document (.docx) or a Markdown file (.md, .markdown, .txt).').waitFor();
  expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

  // The size limit is said up front, and a file over it is refused before anything is sent.
  await dialog.getByText('A Word document (.docx) or Markdown (.md, .markdown, .txt), up to 10 MB.').waitFor();
  await fileInput.setInputFiles({ name: 'huge.docx', mimeType: 'application/octet-stream', buffer: Buffer.alloc(IMPORT_MAX_FILE_BYTES + 1) });
  await dialog.getByText('This file is 10.1 MB; files up to 10 MB can be imported. Saving it without images may make it small enough.').waitFor();
  expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

  await fileInput.setInputFiles({ name: 'work-plan.md', mimeType: 'text/markdown', buffer: Buffer.from(MARKDOWN, 'utf8') });
  expect(await dialog.getByRole('alert').count()).toBe(0);
  await screenshot(member, 'import-dialog');

  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await member.waitForURL(/\/d\/[^/]+$/, { timeout: 10_000 });
  await editorText(member).waitFor({ state: 'visible' });
  await expect.poll(() => documentText(member), until).toContain(PARAGRAPH);
  const editor = editorText(member);
  expect((await editor.getByRole('heading', { name: HEADING }).count()) > 0).toBe(true);
  expect(await editor.locator('ul > li').allInnerTexts()).toEqual(ITEMS);
  expect(await editor.locator('p', { hasText: PARAGRAPH }).count()).toBe(1);
  await screenshot(member, 'import-opened');
});

it('exports the draft as a Word file and as Markdown from the Export dialog', async () => {
  const exportButton = member.getByRole('button', { name: 'Export', exact: true });
  await exportButton.click();
  const dialog = member.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();

  // Word: the PDF's options go away.
  await dialog.getByRole('radio', { name: /^Word \(\.docx\)/ }).check();
  expect(await dialog.getByRole('radio', { name: /A4/ }).count()).toBe(0);
  expect(await dialog.getByRole('checkbox').count()).toBe(0);
  expect(await dialog.getByRole('combobox', { name: 'Content' }).count()).toBe(0);
  await screenshot(member, 'export-dialog-docx');
  let downloadEvent = member.waitForEvent('download', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Export Word file' }).click();
  let download = await downloadEvent;
  await dialog.waitFor({ state: 'hidden' });
  expect(download.suggestedFilename()).toBe(`${TITLE}.docx`);
  const docx = readFileSync(await download.path());
  expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');

  // Markdown.
  await exportButton.click();
  await dialog.waitFor();
  expect(await dialog.getByRole('radio', { name: /^PDF/ }).isChecked()).toBe(true);
  await dialog.getByRole('radio', { name: /^Markdown \(\.md\)/ }).check();
  downloadEvent = member.waitForEvent('download', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Export Markdown' }).click();
  download = await downloadEvent;
  await dialog.waitFor({ state: 'hidden' });
  expect(download.suggestedFilename()).toBe(`${TITLE}.md`);
  const markdown = readFileSync(await download.path(), 'utf8');
  expect(markdown).toContain(PARAGRAPH);
  expect(markdown).toContain(HEADING);
  expect(markdown).toContain(ITEMS[0]);
  await expect.poll(() => member.evaluate(() => document.activeElement?.getAttribute('aria-label')), until).toBe('Export');
});

it('shows an observer no Import button', async () => {
  await observer.goto(`${server.url}/g/${group.id}`);
  await observer.getByText(TITLE).first().waitFor();
  expect(await observer.getByRole('button', { name: /Import/ }).count()).toBe(0);
  expect(await observer.getByRole('button', { name: /New draft/ }).count()).toBe(0);
  await observer.goto(`${server.url}/`);
  await observer.getByText(TITLE).first().waitFor();
  expect(await observer.getByRole('button', { name: /Import/ }).count()).toBe(0);
});

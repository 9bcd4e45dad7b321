/**
 * The home page and a document's life cycle, with the real server: a group's empty state,
 * create (lands in the new draft with its title selected), the list showing who is editing, inline rename
 * seen live in the open editor, archive and restore, permanent delete after confirmation (the
 * open editor is told), and the not-found page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { joinGroup, setUpGroup, signedInContext } from './support/accounts';
import { connectionStatus, documentText, editorText, launchBrowser, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let writer: Page; // Concettina, co-chair, in the document
let organiser: Page; // Raúl, secretariat, on the home page
let documentUrl: string;

const GROUP = 'MAG Working Group on Strategy';
const until = { timeout: 12_000, interval: 200 };
const emptyGroup = (page: Page) => page.getByTestId('group-section').getByText('No drafts yet — create the first one.');
const row = (page: Page, title: string) => page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title, exact: true }) });

beforeAll(async () => {
  // One after the other: if the browser fails to launch, afterAll still stops the server.
  server = await startServer();
  browser = await launchBrowser();
  const group = await setUpGroup(server.url, { name: 'Concettina Cassa' }, GROUP);
  const secretariat = await joinGroup(server.url, group, 'secretariat', 'Raúl Echeberría');
  writer = await (await signedInContext(browser, server.url, group.chair)).newPage();
  organiser = await (await signedInContext(browser, server.url, secretariat)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows a clear empty state and creates a draft that opens with its title ready to type', async () => {
  await writer.goto(server.url);
  await writer.getByRole('heading', { name: GROUP }).waitFor();
  await emptyGroup(writer).waitFor();
  await screenshot(writer, 'home-empty');

  await writer.getByRole('button', { name: `New draft in ${GROUP}` }).click();
  await writer.waitForURL(/\/d\/[A-Za-z0-9_-]{16}$/);
  documentUrl = writer.url();
  const title = writer.getByRole('textbox', { name: 'Document title' });
  await expect.poll(() => writer.evaluate(() => document.activeElement?.getAttribute('aria-label')), until).toBe('Document title');
  expect(await title.inputValue()).toBe('Untitled draft');
  await writer.keyboard.type('Priorities paper'); // replaces the selected default title
  await writer.keyboard.press('Enter'); // and goes on to the text
  await writer.keyboard.type('Proposals cited by section number.');
  await expect.poll(() => documentText(writer), until).toBe('Proposals cited by section number.');
  await expect.poll(() => writer.title(), until).toBe('Priorities paper — Concord');
});

it('lists drafts with their last edit and who is editing now', async () => {
  await organiser.goto(server.url);
  const entry = row(organiser, 'Priorities paper');
  await entry.waitFor({ timeout: until.timeout });
  await expect.poll(() => entry.textContent(), until).toContain('Concettina Cassa is editing');
  expect(await entry.locator('time').textContent()).toMatch(/^edited (just now|\d+ (seconds?|minutes?) ago)$/);
  await screenshot(organiser, 'home-list');
});

it('renames inline, and the open editor shows the new title live', async () => {
  await organiser.getByRole('button', { name: 'Rename Priorities paper' }).click();
  const input = organiser.getByRole('textbox', { name: 'New title' });
  await input.fill('Priorities from the Options Paper');
  await input.press('Enter');
  await row(organiser, 'Priorities from the Options Paper').waitFor();
  await expect.poll(() => writer.getByRole('textbox', { name: 'Document title' }).inputValue(), until).toBe('Priorities from the Options Paper');
});

it('archives a draft out of the list and restores it from the Archived view', async () => {
  await organiser.getByRole('button', { name: 'Archive Priorities from the Options Paper' }).click();
  await emptyGroup(organiser).waitFor();
  await organiser.getByRole('link', { name: 'Archived' }).click();
  await organiser.getByRole('heading', { name: 'Archived drafts', exact: true }).waitFor();
  const archived = row(organiser, 'Priorities from the Options Paper');
  await archived.waitFor();
  expect(await archived.locator('time').textContent()).toMatch(/^archived /);
  await organiser.getByRole('button', { name: 'Restore Priorities from the Options Paper' }).click();
  await organiser.getByRole('heading', { name: 'No archived drafts' }).waitFor();
  await organiser.getByRole('link', { name: 'Active' }).click();
  await row(organiser, 'Priorities from the Options Paper').waitFor();
});

it('deletes permanently only after confirmation, and tells the person still editing', async () => {
  await organiser.getByRole('button', { name: 'Delete Priorities from the Options Paper permanently' }).click();
  let dialog = organiser.getByRole('dialog', { name: 'Delete this draft permanently?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await row(organiser, 'Priorities from the Options Paper').waitFor();

  await organiser.getByRole('button', { name: 'Delete Priorities from the Options Paper permanently' }).click();
  dialog = organiser.getByRole('dialog', { name: 'Delete this draft permanently?' });
  expect(await dialog.textContent()).toContain('can’t be undone');
  await dialog.getByRole('button', { name: 'Delete permanently' }).click();
  await emptyGroup(organiser).waitFor();

  await writer.getByRole('alert').filter({ hasText: 'This document was deleted.' }).waitFor({ timeout: until.timeout });
  expect(await connectionStatus(writer).textContent()).toBe('Deleted');
  expect(await editorText(writer).getAttribute('contenteditable')).toBe('false');
  await screenshot(writer, 'editor-deleted');

  // Its address now leads to the not-found page.
  await organiser.goto(documentUrl);
  await organiser.getByRole('heading', { name: 'Document not found' }).waitFor();
});

it('shows "document not found" with a way home for unknown and malformed ids', async () => {
  await organiser.goto(`${server.url}/d/AAAAAAAAAAAAAAAA`);
  await organiser.getByRole('heading', { name: 'Document not found' }).waitFor();
  await screenshot(organiser, 'not-found');
  await organiser.goto(`${server.url}/d/not-an-id`);
  await organiser.getByRole('heading', { name: 'Document not found' }).waitFor();
  await organiser.getByRole('link', { name: 'All drafts' }).click();
  await organiser.getByRole('heading', { name: 'Drafts', exact: true }).waitFor();
});

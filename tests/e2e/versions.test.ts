/**
 * Version history in the browser, with a co-chair and a member in two browser profiles on one
 * draft: the member writes, the co-chair names "1st Draft" in the history panel; the member
 * edits (inserts words, deletes one); the co-chair sees the version with the member as
 * contributor, opens it read-only and compares it with the current text (insertions and the
 * deletion marked as the member's, the words per person); the member has no naming or restoring
 * controls; the co-chair restores "1st Draft" and both editors show its text live, without a
 * reload, and a "Before restoring 1st Draft" checkpoint is listed.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Comparison } from '../../shared/api/index';
import { apiOk } from '../helpers/accounts';
import { chairAndMemberOnDraft, createDocument, type TestAccount, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, pasteHtml, screenshot } from './support/browser';
import { sampleToHtml } from './support/sample-html';
import { REPO_ROOT, startServer, type TestServer } from './support/server';
import { clickAfter, historyPanel, versionItem } from './support/versions';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let memberAccount: TestAccount;
let chair: Page;
let member: Page;
let documentId: string;

const until = { timeout: 10_000, interval: 100 };
const SAMPLES_DIR = process.env.CONCORD_SAMPLES_DIR ?? join(REPO_ROOT, '../shared/samples');
const FIRST_DRAFT = 'The IGF should urgently strengthen its intersessional work with national initiatives.';
const EDITED = 'The IGF should strengthen its intersessional work with national and local initiatives.';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ group, memberAccount, documentId, chair, member } = await chairAndMemberOnDraft(browser, server.url, 'Strategy paper'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('lets the co-chair name the current text "1st Draft" from the history panel', async () => {
  await openDocument(member, server.url, documentId);
  await editorText(member).click();
  await member.keyboard.type(FIRST_DRAFT);
  await openDocument(chair, server.url, documentId);
  await expect.poll(() => documentText(chair), until).toBe(FIRST_DRAFT);

  await chair.getByRole('button', { name: 'History', exact: true }).click();
  const panel = historyPanel(chair);
  await panel.getByText('No versions yet').waitFor();
  await screenshot(chair, 'versions-empty-panel');

  await panel.getByRole('button', { name: 'Name current version' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Name current version' });
  // The name field has the focus; an empty name is refused before anything is sent.
  await dialog.getByRole('button', { name: 'Name version' }).click();
  await dialog.getByText('Name must not be empty.').waitFor();
  await dialog.getByLabel('Name', { exact: true }).fill('1st Draft');
  await dialog.getByLabel('Meeting date (optional)').fill('2020-09-29');
  await dialog.getByLabel('Note (optional)').fill('Circulated for the call on 29 September.');
  await screenshot(chair, 'versions-name-dialog');
  await dialog.getByRole('button', { name: 'Name version' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const item = versionItem(chair, '1st Draft');
  await item.waitFor();
  const text = await item.textContent();
  expect(text).toContain('Named by Chengetai Masango');
  expect(text).toContain('Circulated for the call on 29 September.');
  expect(text).toContain('Meeting of');
  expect(await item.locator('.version__contributors').textContent()).toContain('Amrita Choudhury');
});

it('shows the member the history, without naming or restoring', async () => {
  // Ctrl+Alt+Shift+H, as in Google Docs, from the text.
  await editorText(member).click();
  await member.keyboard.press('Control+Alt+Shift+H');
  const panel = historyPanel(member);
  await versionItem(member, '1st Draft').waitFor();
  expect(await panel.getByRole('button', { name: 'Name current version' }).count()).toBe(0);
  // The heading has the focus; Escape closes the panel and returns to the History button.
  await expect.poll(() => member.evaluate(() => document.activeElement?.textContent), until).toBe('Version history');
  await member.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  await expect.poll(() => member.evaluate(() => document.activeElement?.id), until).toBe('history-toggle');

  // Opened, the version is read-only and offers comparing, but no restoring.
  await member.keyboard.press('Enter');
  await versionItem(member, '1st Draft').getByRole('link', { name: '1st Draft', exact: true }).click();
  await member.getByTestId('version-banner').waitFor();
  await member.getByRole('button', { name: 'Compare with…' }).waitFor();
  expect(await member.getByRole('link', { name: 'Compare with current' }).count()).toBe(1);
  expect(await member.getByRole('button', { name: 'Restore this version' }).count()).toBe(0);
  await member.getByRole('link', { name: 'Back to document' }).click();
  await member.getByTestId('version-banner').waitFor({ state: 'detached' });
  expect(new URL(member.url()).pathname).toBe(`/d/${documentId}`);
  // The focus is back on the version in the panel.
  await expect.poll(() => member.evaluate(() => document.activeElement?.textContent), until).toBe('1st Draft');
});

it('lets the member insert some words and delete one', async () => {
  // Delete "urgently " …
  await clickAfter(member, 'urgently ');
  for (let i = 0; i < 'urgently '.length; i++) await member.keyboard.press('Backspace');
  // … and insert "and local " before "initiatives". (Typed text that repeats the letter after the
  // caret, like "regi|initiatives", is recorded by the editor's diff partly as the existing letter.)
  await clickAfter(member, 'national ');
  await member.keyboard.type('and local ');
  for (const page of [member, chair]) await expect.poll(() => documentText(page), until).toBe(EDITED);
});

it('shows the co-chair the version read-only and what the member changed since', async () => {
  const item = versionItem(chair, '1st Draft');
  await item.getByRole('link', { name: '1st Draft', exact: true }).click();
  const banner = chair.getByTestId('version-banner');
  await banner.waitFor();
  expect(await banner.textContent()).toMatch(/^Version: 1st Draft · .*2020 · read-only$/);
  expect(await chair.getByRole('heading', { level: 1 }).textContent()).toBe('1st Draft');
  const text = chair.getByTestId('version-text');
  await expect.poll(() => text.textContent(), until).toBe(FIRST_DRAFT);
  expect(await text.getAttribute('contenteditable')).toBe('false');
  expect(new URL(chair.url()).pathname).toBe(`/d/${documentId}/versions/${await versionIdOf('1st Draft')}`);
  await screenshot(chair, 'versions-read-only');

  await chair.getByRole('link', { name: 'Compare with current' }).click();
  const compared = chair.getByTestId('compare-text');
  await compared.waitFor();
  expect(await chair.getByTestId('compare-what').textContent()).toBe('Changes from 1st Draft to the current text');

  const inserted = compared.locator('ins.compare-run');
  const deleted = compared.locator('del.compare-run');
  await expect.poll(() => inserted.count(), until).toBe(1);
  expect(await deleted.count()).toBe(1);
  expect(await inserted.evaluate((element) => element.childNodes[1]?.textContent)).toBe('and local ');
  expect(await inserted.getAttribute('data-by')).toBe('Amrita Choudhury');
  expect(await inserted.textContent()).toBe('[inserted by Amrita Choudhury: and local ]');
  expect(await deleted.evaluate((element) => element.childNodes[1]?.textContent)).toBe('urgently ');
  expect(await deleted.getAttribute('data-by')).toBe('Amrita Choudhury');
  expect(await deleted.textContent()).toBe('[deleted by Amrita Choudhury: urgently ]');
  // Not colour alone: inserted text is underlined, deleted text struck through.
  expect(await inserted.evaluate((element) => getComputedStyle(element).textDecorationLine)).toBe('underline');
  expect(await deleted.evaluate((element) => getComputedStyle(element).textDecorationLine)).toBe('line-through');

  const summary = chair.getByTestId('compare-summary');
  const rows = await summary.locator('tbody tr').allInnerTexts();
  expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual(['AC Amrita Choudhury 2 1']);

  // Hovering an insertion says who made it, with their colour.
  const point = await inserted.evaluate((element) => {
    const rect = element.getClientRects()[0];
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  });
  await chair.mouse.move(point.x, point.y);
  await chair.locator('.compare-tip', { hasText: 'Inserted by Amrita Choudhury' }).waitFor();
  await screenshot(chair, 'versions-compare');

  // Change navigation: N (or Alt+↓) and the buttons.
  const count = chair.getByTestId('change-count');
  expect(await count.textContent()).toBe('1 change');
  await chair.keyboard.press('n');
  expect(await count.textContent()).toBe('Change 1 of 1');
  expect(await chair.evaluate(() => document.activeElement?.getAttribute('data-change'))).toBe('changed');
  // There is no other change: the buttons stay on this one.
  await chair.getByRole('button', { name: 'Next change' }).click();
  await chair.getByRole('button', { name: 'Previous change' }).click();
  expect(await count.textContent()).toBe('Change 1 of 1');
});

it('lets the co-chair restore "1st Draft": both editors show it live, and the checkpoint before it is listed', async () => {
  // No reloads: these survive only in the same page.
  for (const page of [chair, member]) await page.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));

  await chair.getByTestId('compare-what').getByRole('link', { name: '1st Draft', exact: true }).click();
  await chair.getByTestId('version-banner').waitFor();
  await chair.getByRole('button', { name: 'Restore this version' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Restore “1st Draft”?' });
  expect(await dialog.textContent()).toContain('becomes the current text for everyone');
  expect(await dialog.textContent()).toContain('Before restoring 1st Draft');
  await screenshot(chair, 'versions-restore-confirm');
  await dialog.getByRole('button', { name: 'Restore this version' }).click();

  // Back in the editor, which has the restored text; so has the member's, live.
  await chair.getByTestId('version-banner').waitFor({ state: 'detached' });
  expect(new URL(chair.url()).pathname).toBe(`/d/${documentId}`);
  for (const page of [chair, member]) {
    await expect.poll(() => documentText(page), until).toBe(FIRST_DRAFT);
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true);
  }

  // The history panel shows the checkpoint taken before the restore, to undo it with.
  const checkpoint = versionItem(chair, 'Before restoring 1st Draft');
  await checkpoint.waitFor();
  expect(await checkpoint.getAttribute('class')).toContain('version--checkpoint');
  expect(await checkpoint.getAttribute('class')).toContain('version--highlight');
  expect(await historyPanel(chair).locator('li.version').allInnerTexts()).toHaveLength(2);
  await screenshot(chair, 'versions-restored');

  // "Only named versions" hides the checkpoint.
  await historyPanel(chair).getByLabel('Only named versions').check();
  await expect.poll(() => historyPanel(chair).locator('li.version').count(), until).toBe(1);
  await historyPanel(chair).getByLabel('Only named versions').uncheck();

  // The checkpoint opens read-only too, and compares with any other version.
  await checkpoint.getByRole('link').click();
  const banner = chair.getByTestId('version-banner');
  await banner.waitFor();
  expect(await banner.textContent()).toMatch(/^Checkpoint: Before restoring 1st Draft · .* · read-only$/);
  expect(await chair.getByTestId('version-text').textContent()).toBe(EDITED);
  await chair.getByRole('button', { name: 'Compare with…' }).click();
  const choose = chair.getByRole('dialog', { name: 'Compare “Before restoring 1st Draft” with…' });
  await choose.getByLabel('Compare with').selectOption({ label: '1st Draft (Sep 29, 2020)' });
  await choose.getByRole('button', { name: 'Compare' }).click();
  // Older to newer, whichever way round they were chosen.
  await expect.poll(() => chair.getByTestId('compare-what').textContent(), until).toBe('Changes from 1st Draft to Before restoring 1st Draft');
  expect(await chair.getByTestId('compare-text').locator('ins').getAttribute('data-by')).toBe('Amrita Choudhury');
  await chair.getByRole('link', { name: 'Back to document' }).click();
  await chair.getByTestId('version-banner').waitFor({ state: 'detached' });

  // One side panel at a time: opening the comments closes the history, and the other way round.
  await chair.locator('[aria-controls="comments-panel"]').click();
  await historyPanel(chair).waitFor({ state: 'hidden' });
  await chair.getByRole('button', { name: 'History', exact: true }).click();
  await historyPanel(chair).waitFor();
  expect(await chair.locator('#comments-panel').count()).toBe(0);

  // The member's list has it too (shown again, it is up to date); and the text is the version's again.
  const memberToggle = member.getByRole('button', { name: 'History', exact: true });
  if ((await memberToggle.getAttribute('aria-expanded')) === 'true') await memberToggle.click();
  await memberToggle.click();
  await versionItem(member, 'Before restoring 1st Draft').waitFor();
  const comparison = await apiOk<Comparison>(server.url, memberAccount.auth, 'GET', `/api/documents/${documentId}/compare?from=${await versionIdOf('1st Draft')}&to=current`);
  const current = comparison.blocks.map((block) => block.runs.filter((run) => run.change !== 'deleted').map((run) => run.text).join('')).join('\n');
  expect(current).toBe(FIRST_DRAFT);
});

async function versionIdOf(name: string): Promise<string> {
  const { versions } = await apiOk<{ versions: { id: string; name: string }[] }>(server.url, memberAccount.auth, 'GET', `/api/documents/${documentId}/versions`);
  const version = versions.find((candidate) => candidate.name === name);
  if (!version) throw new Error(`no version named ${name}`);
  return version.id;
}

it('compares a long paper readably: headings, list items and table cells in context, only the changed paragraphs, change by change', async () => {
  const paperId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Contribution to the EGM');
  await openDocument(chair, server.url, paperId);
  await editorText(chair).click();
  await pasteHtml(chair, sampleToHtml(join(SAMPLES_DIR, 'wg-contribution-to-egm-2022.txt'), { maxTableRows: 3 }));
  await openDocument(member, server.url, paperId);
  // The member has the paper: the server has stored it.
  await expect.poll(() => member.locator('.document-text h1').count(), until).toBe(6);
  await apiOk(server.url, group.chair.auth, 'POST', `/api/documents/${paperId}/versions`, { name: '2nd Draft', meetingDate: '2022-02-28' }, 201);

  // The member changes a heading, a list item and a table's header cell.
  await clickAfter(member, 'INTRODUCTION');
  await member.keyboard.type(' AND CONTEXT');
  await clickAfter(member, 'forward-looking approach');
  await member.keyboard.type(' agreed by the MAG');
  await clickAfter(member, 'Area of work');
  await member.keyboard.type(' (Roadmap)');
  await expect.poll(() => documentText(chair), until).toContain('Area of work (Roadmap)');

  await chair.getByRole('button', { name: 'History', exact: true }).click();
  await versionItem(chair, '2nd Draft').getByRole('link', { name: 'Compare 2nd Draft with the current text' }).click();
  const compared = chair.getByTestId('compare-text');
  await compared.waitFor();
  const count = chair.getByTestId('change-count');
  expect(await count.textContent()).toBe('3 changes');

  // A long paper opens with only the changed paragraphs (and their headings), the rest folded.
  const onlyChanged = chair.getByLabel('Only changed paragraphs');
  expect(await onlyChanged.isChecked()).toBe(true);
  const gaps = compared.getByRole('button', { name: /^Show \d+ unchanged paragraphs?$/ });
  expect(await gaps.count()).toBeGreaterThan(1);
  const heading = compared.getByRole('heading', { name: /INTRODUCTION/ });
  expect(await heading.locator('ins').textContent()).toContain(' AND CONTEXT');
  expect(await heading.getAttribute('aria-level')).toBe('3');
  const listItem = compared.locator('.compare-block--list', { has: chair.locator('ins') });
  expect(await listItem.textContent()).toContain('forward-looking approach');
  const cell = compared.locator('.compare-block--cell', { has: chair.locator('ins') });
  expect(await cell.locator('.compare-block__context').textContent()).toBe('Header cell');
  expect(await cell.textContent()).toContain('Area of work');

  // N, N, N: from change to change; Alt+↑ back.
  for (let i = 0; i < 3; i++) await chair.keyboard.press('n');
  expect(await count.textContent()).toBe('Change 3 of 3');
  expect(await chair.evaluate(() => document.activeElement?.textContent)).toContain('Area of work');
  await chair.keyboard.press('Alt+ArrowUp');
  expect(await count.textContent()).toBe('Change 2 of 3');
  // The change is brought to the middle of the view.
  await expect
    .poll(() => chair.evaluate(() => Math.abs(document.activeElement!.getBoundingClientRect().top - innerHeight / 2) < 120), until)
    .toBe(true);
  await screenshot(chair, 'versions-compare-long');

  // A folded stretch opens in place; the whole text comes back with the switch.
  const before = await compared.locator('.compare-block').count();
  await gaps.first().click();
  expect(await compared.locator('.compare-block').count()).toBeGreaterThan(before);
  await onlyChanged.uncheck();
  expect(await gaps.count()).toBe(0);
  await cell.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await screenshot(chair, 'versions-compare-long-table');

  // The version itself, read-only, with its headings, lists, table and notes.
  await chair.getByTestId('compare-what').getByRole('link', { name: '2nd Draft', exact: true }).click();
  const text = chair.getByTestId('version-text');
  await text.waitFor();
  expect(await text.locator('h1').count()).toBe(6);
  expect(await text.locator('table tr').count()).toBe(4);
  expect(await chair.locator('.history-view').getByTestId('footnotes').count()).toBe(1);
  await screenshot(chair, 'versions-read-only-long');
});

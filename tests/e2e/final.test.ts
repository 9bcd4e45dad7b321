/**
 * Marking a paper final: the co-chair marks the document final in the Export dialog and a "Final"
 * badge appears beside the title; the dialog's "DRAFT" watermark box is then clear by default and
 * the downloaded PDF has no watermark. A member sees the badge (in the header and on the home
 * page) and the status in the dialog, but no control to change it. Once the document has a
 * comment thread, the dialog offers the comment-resolution annex, and the PDF has it.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { readPdf, squash } from '../export/support';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, screenshot } from './support/browser';
import { commentsPanel, selectText, threadCard } from './support/comments';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let chair: Page;
let member: Page;
let documentId: string;

const until = { timeout: 10_000, interval: 100 };
const CHAIR = 'Chengetai Masango';
const TITLE = 'Options paper response';
const PARAGRAPH = 'The Forum should strengthen its intersessional work with national initiatives.';
const EXPORT_PATH = '**/api/documents/*/export.pdf*';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: CHAIR });
  const memberAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, TITLE);
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  member = await (await signedInContext(browser, server.url, memberAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const exportDialog = (page: Page) => page.getByRole('dialog', { name: 'Export' });
const watermarkBox = (page: Page) => exportDialog(page).getByRole('checkbox', { name: /DRAFT/ });
const commentsAnnexBox = (page: Page) => exportDialog(page).getByRole('checkbox', { name: 'Annex: resolution of comments' });
const participantsAnnexBox = (page: Page) => exportDialog(page).getByRole('checkbox', { name: 'Annex: participants and contributors' });
const headerBadge = (page: Page) => page.locator('.editor-header').getByTestId('final-badge');

async function openExport(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await exportDialog(page).waitFor();
}

/** Exports a PDF through the dialog; returns its text (squashed), whether it has the watermark, and the query sent. */
async function exportThroughDialog(page: Page): Promise<{ text: string; hasDraft: boolean; query: Record<string, string> }> {
  const queries: Record<string, string>[] = [];
  await page.route(EXPORT_PATH, async (route: Route) => {
    queries.push(Object.fromEntries(new URL(route.request().url()).searchParams));
    await route.continue();
  });
  const downloadEvent = page.waitForEvent('download', { timeout: 30_000 });
  await exportDialog(page).getByRole('button', { name: 'Export PDF' }).click();
  const download: Download = await downloadEvent;
  await exportDialog(page).waitFor({ state: 'hidden' });
  await page.unroute(EXPORT_PATH);
  expect(download.suggestedFilename()).toBe(`${TITLE}.pdf`);
  const pdf = await readPdf(readFileSync(await download.path()));
  return { text: squash(pdf.runs.map((run) => run.str).join('')), hasDraft: pdf.runs.some((run) => run.str.includes('DRAFT')), query: queries[0] };
}

it('lets the co-chair mark the draft final in the Export dialog; a "Final" badge appears beside the title', async () => {
  await openDocument(chair, server.url, documentId);
  await editorText(chair).click();
  await chair.keyboard.type(PARAGRAPH);
  await expect.poll(() => documentText(chair), until).toBe(PARAGRAPH);
  expect(await headerBadge(chair).count()).toBe(0);

  await openExport(chair);
  const dialog = exportDialog(chair);
  const status = dialog.getByTestId('export-status');
  expect(await status.textContent()).toContain('Draft: PDFs have the “DRAFT” watermark on by default');
  expect(await watermarkBox(chair).isChecked()).toBe(true);
  // No comment threads yet: no comments annex to offer. The participants annex is always there.
  expect(await commentsAnnexBox(chair).count()).toBe(0);
  expect(await participantsAnnexBox(chair).isChecked()).toBe(false);
  await screenshot(chair, 'final-export-draft');

  await dialog.getByRole('button', { name: 'Mark final' }).click();
  await status.getByText('This document is marked final').waitFor();
  expect(await status.textContent()).toContain(`This document is marked final by ${CHAIR} on`);
  // The watermark follows the status (the person hasn't touched it); the action is reversible here.
  expect(await watermarkBox(chair).isChecked()).toBe(false);
  await dialog.getByRole('button', { name: 'Mark as draft again' }).waitFor();
  await screenshot(chair, 'final-export-final');

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const badge = headerBadge(chair);
  await badge.waitFor();
  expect(await badge.textContent()).toMatch(new RegExp(`^Final\\. Marked final by ${CHAIR} on .*\\d{4}$`));
  await badge.hover();
  await chair.waitForTimeout(600); // the tooltip fades in
  await screenshot(chair, 'final-header');
});

it('exports the final document without the "DRAFT" watermark by default', async () => {
  await openExport(chair);
  expect(await watermarkBox(chair).isChecked()).toBe(false);
  const exported = await exportThroughDialog(chair);
  expect(exported.query.watermark).toBe('false');
  expect(exported.text).toContain(squash(PARAGRAPH));
  expect(exported.hasDraft).toBe(false);
});

it('shows a member the badge and the status, with no control to change it', async () => {
  await member.goto(`${server.url}/`);
  const row = member.getByTestId('document-row').filter({ has: member.getByRole('link', { name: TITLE, exact: true }) });
  await row.getByTestId('final-badge').waitFor();
  await screenshot(member, 'final-home');

  await openDocument(member, server.url, documentId);
  await headerBadge(member).waitFor();
  expect(await headerBadge(member).textContent()).toContain(`Marked final by ${CHAIR}`);
  await openExport(member);
  const dialog = exportDialog(member);
  await dialog.getByTestId('export-status').getByText('This document is marked final').waitFor();
  expect(await dialog.getByRole('button', { name: /^Mark / }).count()).toBe(0);
  expect(await watermarkBox(member).isChecked()).toBe(false);
  await screenshot(member, 'final-export-member');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
});

it('offers the comment-resolution annex once there is a comment thread, and the PDF has it', async () => {
  expect(await selectText(member, 'intersessional work')).toBe('intersessional work');
  await member.getByRole('button', { name: 'Comment on the selected text' }).click();
  const composer = commentsPanel(member).getByRole('combobox', { name: 'New comment' });
  await composer.waitFor();
  await composer.pressSequentially('Which bodies does this cover?');
  await composer.press('Control+Enter');
  await threadCard(member, 'intersessional work').getByText('Which bodies does this cover?').waitFor();

  await openExport(member);
  await commentsAnnexBox(member).check();
  await participantsAnnexBox(member).check();
  await screenshot(member, 'final-export-annexes');
  const exported = await exportThroughDialog(member);
  expect(exported.query).toMatchObject({ comments: 'true', participants: 'true', watermark: 'false' });
  const annexAt = exported.text.indexOf(squash('Annex I: Resolution of comments'));
  expect(annexAt).toBeGreaterThan(exported.text.indexOf(squash(PARAGRAPH)));
  expect(exported.text.slice(annexAt)).toContain(squash('Which bodies does this cover?'));
  expect(exported.text).toContain(squash('Annex II: Participants and contributors'));
  expect(exported.hasDraft).toBe(false);
});

it('lets the co-chair make it a draft again: the badge goes and the watermark is on by default', async () => {
  await openExport(chair);
  const dialog = exportDialog(chair);
  await dialog.getByRole('button', { name: 'Mark as draft again' }).click();
  await dialog.getByTestId('export-status').getByText('Draft:').waitFor();
  expect(await watermarkBox(chair).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await headerBadge(chair).waitFor({ state: 'detached' });
});

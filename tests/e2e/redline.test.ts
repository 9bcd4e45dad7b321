/**
 * "Download redline PDF" in the compare view, in the browser: a member writes, the co-chair names
 * "2nd Draft", the member changes words; the co-chair compares "2nd Draft" with the current text
 * and downloads the redline (progress shown while the server typesets it), a real PDF named after
 * the comparison; a failure is said in a sentence, and trying again works.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Comparison, VersionSummary } from '../../shared/api/index';
import { apiOk } from '../helpers/accounts';
import { chairAndMemberOnDraft, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let chair: Page;
let member: Page;
let documentId: string;
let secondDraft: VersionSummary;

const until = { timeout: 10_000, interval: 100 };
const REDLINE_PATH = '**/api/documents/*/compare.pdf?*';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ group, documentId, chair, member } = await chairAndMemberOnDraft(browser, server.url, 'Strategy paper'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('has a member write, the co-chair name "2nd Draft", and the member change words', async () => {
  await openDocument(member, server.url, documentId);
  await editorText(member).click();
  await member.keyboard.type('The IGF should strengthen its intersessional work.');
  await openDocument(chair, server.url, documentId);
  await expect.poll(() => documentText(chair), until).toBe('The IGF should strengthen its intersessional work.');
  secondDraft = await apiOk(server.url, { cookie: group.chair.cookie }, 'POST', `/api/documents/${documentId}/versions`, { name: '2nd Draft' }, 201);

  // The member replaces "work." with "work with national initiatives.".
  await editorText(member).click();
  await member.keyboard.press('End');
  for (let i = 0; i < 'work.'.length; i++) await member.keyboard.press('Backspace');
  await member.keyboard.type('work with national initiatives.');
  await expect
    .poll(async () => {
      const comparison = await apiOk<Comparison>(server.url, { cookie: group.chair.cookie }, 'GET', `/api/documents/${documentId}/compare?from=${secondDraft.id}&to=current`);
      return comparison.summary.map((row) => `${row.person?.name} +${row.wordsAdded} -${row.wordsRemoved}`);
    }, until)
    .toEqual(['Amrita Choudhury +4 -1']);
});

it('downloads the comparison as a redline PDF, with progress while it is made', async () => {
  await chair.goto(`${server.url}/d/${documentId}/compare?from=${secondDraft.id}&to=current`);
  await chair.getByTestId('compare-summary').waitFor();
  const button = chair.getByRole('button', { name: 'Download redline PDF' });

  // Held back until the progress is seen; then let through.
  let release!: () => void;
  const held = new Promise<void>((done) => (release = done));
  const requests: URL[] = [];
  await chair.route(REDLINE_PATH, async (route: Route) => {
    requests.push(new URL(route.request().url()));
    await held;
    await route.continue();
  });
  const downloadEvent = chair.waitForEvent('download', { timeout: 30_000 });
  await button.click();
  const progress = chair.getByTestId('redline-download').getByRole('status');
  await progress.getByText('Preparing the redline PDF…').waitFor();
  expect(await chair.getByRole('progressbar', { name: 'Preparing the redline PDF' }).count()).toBe(1);
  await screenshot(chair, 'redline-progress');
  release();

  const download = await downloadEvent;
  expect(requests.map((url) => [url.searchParams.get('from'), url.searchParams.get('to')])).toEqual([[secondDraft.id, 'current']]);
  expect(download.suggestedFilename()).toBe('Strategy paper - changes since 2nd Draft.pdf');
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await button.waitFor();
  await chair.unroute(REDLINE_PATH);
  await screenshot(chair, 'redline-button');
});

it('says clearly when the redline could not be made, and trying again works', async () => {
  await chair.route(REDLINE_PATH, (route: Route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'export_busy', message: 'too many exports are waiting' } }) }),
  );
  await chair.getByRole('button', { name: 'Download redline PDF' }).click();
  const alert = chair.getByTestId('redline-download').getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toBe('The server is busy making other PDFs. Please try again in a minute.');
  await screenshot(chair, 'redline-error');

  await chair.unroute(REDLINE_PATH);
  const downloadEvent = chair.waitForEvent('download', { timeout: 30_000 });
  await chair.getByRole('button', { name: 'Download redline PDF' }).click();
  await downloadEvent;
  await alert.waitFor({ state: 'detached' });
});

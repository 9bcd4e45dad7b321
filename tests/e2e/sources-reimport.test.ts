/**
 * A source paper's new version, in the browser: a member supports paragraph V.4 of the Options
 * Paper (the selection button says "Annotate" on a source) and sees no Re-import action; the
 * co-chair re-imports a changed file (V.4 reworded, a paragraph added at the top) from the source
 * bar, sees a file the server can't read refused, the progress while uploading and then the
 * counts; V.4 keeps its annotation and its stance, live for the member too. The history of a
 * source offers no "Restore this version".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { apiOk } from '../helpers/accounts';
import { joinGroup, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { launchBrowser, screenshot } from './support/browser';
import { selectText } from './support/comments';
import { REPO_ROOT, startServer, type TestServer } from './support/server';
import { historyPanel } from './support/versions';

const SAMPLE = readFileSync(join(REPO_ROOT, '../shared/samples/wg-priorities-from-options-paper.txt'), 'utf8');
const TITLE = 'MAG WG ON IGF STRENGTHENING AND STRATEGY';
const V4_START = 'V.4. On communication between different fora';
const V4_OLD = 'invite decision-making bodies systematically to present their work at the IGF.';
const V4_NEW = 'invite decision-making bodies systematically to present their work at the IGF and at its intersessional meetings.';
const ADDED = 'Revised after the WG call of 12 October 2020: proposal V.4 now covers the intersessional meetings.';
/** The sample with V.4 (its first occurrence) reworded and a paragraph added under the title. */
const REVISED = SAMPLE.replace(V4_OLD, V4_NEW).replace(`${TITLE}\n`, `${TITLE}\n\n${ADDED}\n`);

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let chair: Page;
let member: Page;
let sourceId: string;
let sourceUrl: string;
/** Paragraphs and headings of the paper as first imported. */
let paragraphCount: number;
/** The paragraph id of proposal V.4 (its first occurrence, in the body of the paper). */
let v4: string;

const until = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  expect(REVISED).toContain(V4_NEW);
  expect(REVISED).toContain(ADDED);
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  const memberAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  const created = await apiOk<{ id: string; paragraphCount: number }>(
    server.url,
    { cookie: group.chair.cookie },
    'POST',
    '/api/sources/import',
    { groupId: group.id, format: 'text', content: SAMPLE, citeAs: 'Options Paper' },
    201,
  );
  sourceId = created.id;
  sourceUrl = `${server.url}/d/${sourceId}`;
  paragraphCount = created.paragraphCount;
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  member = await (await signedInContext(browser, server.url, memberAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const annotationsPanel = (page: Page) => page.getByRole('complementary', { name: /^Annotations/ });
const margin = (page: Page, pid: string) => page.locator(`.document-text [data-margin-for="${pid}"]`);
const summary = (page: Page, pid: string) => margin(page, pid).getByTestId('paragraph-annotations');
const v4Block = (page: Page) => page.locator('.document-text p[data-pid]', { hasText: V4_START }).first();
const reimportButton = (page: Page) => page.getByTestId('source-bar').getByRole('button', { name: 'Re-import…' });

/** Opens the source and waits for paragraph V.4 in its margin (the content has arrived and been numbered). */
async function openSource(page: Page): Promise<void> {
  await page.goto(sourceUrl);
  await v4Block(page).waitFor();
  await margin(page, (await v4Block(page).getAttribute('data-pid'))!).waitFor();
}

it('lets a member annotate V.4, with “Annotate” on the selection, and offers members no re-import', async () => {
  await openSource(member);
  v4 = (await v4Block(member).getAttribute('data-pid'))!;

  // On a source, the button beside the selection annotates.
  await v4Block(member).evaluate((element) => element.scrollIntoView({ block: 'center' }));
  expect(await selectText(member, 'decision-making bodies in both directions')).toBe('decision-making bodies in both directions');
  await member.getByRole('button', { name: 'Annotate the selected text' }).waitFor();
  expect(await member.getByRole('button', { name: 'Comment on the selected text' }).count()).toBe(0);

  await v4Block(member).hover();
  await member.getByRole('button', { name: 'Annotate paragraph V.4' }).first().click();
  const draft = annotationsPanel(member).getByRole('region', { name: 'New annotation' });
  await draft.getByRole('radio', { name: 'Support' }).check();
  await draft.getByRole('combobox', { name: 'New annotation' }).fill('Reporting both ways is what the MHLB proposal needs.');
  await draft.getByRole('button', { name: 'Annotate', exact: true }).click();
  await expect.poll(() => summary(member, v4).textContent(), until).toBe('1 support');

  await member.getByTestId('source-bar').getByRole('link', { name: 'Download annotations (W3C JSON-LD)' }).waitFor();
  expect(await reimportButton(member).count()).toBe(0);
});

it('lets the co-chair re-import a changed version from the source bar and shows what became of the paragraphs', async () => {
  await openSource(chair);
  await reimportButton(chair).click();
  const dialog = chair.getByRole('dialog', { name: 'Re-import the source paper' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('the annotations and citations on them stay attached');
  // The paper's title and short name, kept unless changed.
  expect(await dialog.getByLabel('Title').inputValue()).toBe(TITLE);
  expect(await dialog.getByLabel('Cite as').inputValue()).toBe('Options Paper');
  const fileInput = dialog.getByLabel('File');

  // A file the server can't read: its reason is shown, and the paper stays as it was.
  await fileInput.setInputFiles({ name: 'options-paper.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a zip file at all') });
  await dialog.getByRole('button', { name: 'Re-import', exact: true }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toBe('This file couldn’t be read as a Word document (not a DOCX file: it is not a ZIP archive).');

  // The new version: held on its way to the server a moment, to see the progress.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await chair.route('**/api/sources/*/reimport', async (route: Route) => {
    await released;
    await route.continue();
  });
  await fileInput.setInputFiles({ name: 'options-paper-rev2.txt', mimeType: 'text/plain', buffer: Buffer.from(REVISED) });
  expect(await refusal.count()).toBe(0);
  await dialog.getByRole('button', { name: 'Re-import', exact: true }).click();
  await dialog.getByRole('status').filter({ hasText: 'Uploading options-paper-rev2.txt and matching its paragraphs…' }).waitFor();
  expect(await dialog.getByRole('button', { name: 'Cancel re-import' }).isVisible()).toBe(true);
  await screenshot(chair, 'sources-reimport-progress');
  release();

  const result = dialog.getByTestId('reimport-result');
  await result.waitFor();
  expect(await result.textContent()).toBe(`“${TITLE}” was re-imported. ${paragraphCount} paragraphs kept, 1 new, 0 removed.`);
  expect(await dialog.textContent()).toContain('Annotations and citations on the kept paragraphs stay attached to them.');
  await screenshot(chair, 'sources-reimport-result');
  await chair.unroute('**/api/sources/*/reimport');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await expect.poll(() => chair.evaluate(() => document.activeElement?.textContent), until).toBe('Re-import…');

  // Both see the new text live; V.4 is the same paragraph, with its annotation and stance.
  for (const page of [chair, member]) {
    await page.locator('.document-text p', { hasText: ADDED }).waitFor();
    await expect.poll(() => v4Block(page).textContent(), until).toContain(V4_NEW);
    expect(await v4Block(page).getAttribute('data-pid')).toBe(v4);
    expect(await margin(page, v4).locator('.source-margin__label').textContent()).toBe('V.4');
    await expect.poll(() => summary(page, v4).textContent(), until).toBe('1 support');
    const card = annotationsPanel(page).locator('article.thread', { hasText: 'Reporting both ways is what the MHLB proposal needs.' });
    await card.getByTestId('stance-chip').filter({ hasText: 'Support' }).waitFor();
  }
  await v4Block(member).evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await screenshot(member, 'sources-reimported-v4');
});

it('offers no “Restore this version” in the history of a source', async () => {
  await chair.getByRole('button', { name: 'History', exact: true }).click();
  const panel = historyPanel(chair);
  await panel.getByRole('button', { name: 'Name current version' }).click();
  const naming = chair.getByRole('dialog', { name: 'Name current version' });
  await naming.getByLabel('Name', { exact: true }).fill('Options Paper, revision 2');
  await naming.getByRole('button', { name: 'Name version' }).click();
  await naming.waitFor({ state: 'hidden' });

  // The view asks for the document's summary, which says it is a source (and the person a co-chair).
  const summaryLoaded = chair.waitForResponse((response) => new URL(response.url()).pathname === `/api/documents/${sourceId}` && response.ok());
  await panel.getByRole('link', { name: 'Options Paper, revision 2', exact: true }).click();
  await summaryLoaded;
  await chair.getByTestId('version-banner').waitFor();
  await chair.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  await chair.getByRole('button', { name: 'Compare with…' }).waitFor();
  expect(await chair.getByRole('link', { name: 'Compare with current' }).count()).toBe(1);
  expect(await chair.getByRole('button', { name: 'Restore this version' }).count()).toBe(0);
  await screenshot(chair, 'sources-version-no-restore');
});

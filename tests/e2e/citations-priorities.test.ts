/**
 * Citations and priority rounds in the browser. The group's priorities paper is imported as the
 * source "Options Paper" (API). A group without source papers gets an empty state in the picker;
 * a chip whose paragraph is gone says so. A co-chair cites V.4 in a draft through the picker with the
 * keyboard ("V.4", Enter); hovering the chip shows the paragraph; clicking it opens the source at
 * V.4, whose "Cited in" lists the draft. Then a priority round: the co-chair opens it (up to 3),
 * two members mark proposals in their own browser profiles (a fourth is refused), the co-chair
 * closes it, the tally is grouped as the paper's annex, and "Insert into a draft…" puts it into
 * the draft as a table, citation chips included, which the server's Markdown export shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { apiOk, createGroup } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, pasteHtml, screenshot, settleCaret } from './support/browser';
import { REPO_ROOT, startServer, type TestServer } from './support/server';

const SAMPLE = join(REPO_ROOT, '../shared/samples/wg-priorities-from-options-paper.txt');
const V4_TEXT = 'Introduce reporting between the IGF and decision-making bodies in both directions';
const DRAFT_TITLE = 'WG note on the MHLB';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let chair: Page;
let amrita: Page;
let jorge: Page;
let sourceId: string;
let draftId: string;
/** Paragraph ids of proposals (their first occurrence, in the body of the paper), by label. */
const pids = new Map<string, string>();

const until = { timeout: 10_000, interval: 150 };
const chairAuth = () => ({ cookie: group.chair.cookie });

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  const amritaAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  const jorgeAccount = await joinGroup(server.url, group, 'member', 'Jorge Cancio');
  const source = await apiOk<{ id: string }>(
    server.url,
    chairAuth(),
    'POST',
    '/api/sources/import',
    { groupId: group.id, format: 'text', content: readFileSync(SAMPLE, 'utf8'), citeAs: 'Options Paper' },
    201,
  );
  sourceId = source.id;
  const { paragraphs } = await apiOk<{ paragraphs: { pid: string; label: string }[] }>(server.url, chairAuth(), 'GET', `/api/sources/${sourceId}/paragraphs`);
  for (const paragraph of paragraphs) if (!pids.has(paragraph.label)) pids.set(paragraph.label, paragraph.pid);
  draftId = await createDocument(server.url, chairAuth(), group.id, DRAFT_TITLE);
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  amrita = await (await signedInContext(browser, server.url, amritaAccount)).newPage();
  jorge = await (await signedInContext(browser, server.url, jorgeAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const chip = (page: Page) => page.locator('.document-text cite.citation-chip');
const prioritiesDialog = (page: Page) => page.locator('dialog.priorities-dialog');

/** Opens the source paper (optionally at a paragraph) and waits for its numbered margin. */
async function openSource(page: Page): Promise<void> {
  await page.goto(`${server.url}/d/${sourceId}`);
  await page.locator(`.document-text [data-margin-for="${pids.get('V.4')}"]`).waitFor();
}

/** The checkbox of a proposal in the round's list, by its label (first occurrence). */
function proposal(page: Page, label: string): Locator {
  return prioritiesDialog(page)
    .locator('.proposal-choice')
    .filter({ has: page.locator('.proposal-choice__label').getByText(label, { exact: true }) })
    .first()
    .getByRole('checkbox');
}

it('tells a draft’s writer how to get a source paper when the group has none', async () => {
  const otherGroup = await createGroup(server.url, chairAuth(), 'Working group without papers');
  const otherDraft = await createDocument(server.url, chairAuth(), otherGroup.id, 'Nothing to cite');
  await openDocument(chair, server.url, otherDraft);
  await editorText(chair).click();
  await chair.keyboard.press('Control+Alt+C');
  const dialog = chair.getByRole('dialog', { name: 'Cite a source paper' });
  await dialog.getByText('This group has no source papers yet.').waitFor();
  const link = dialog.getByRole('link', { name: 'Import a source paper from the group page' });
  expect(await link.getAttribute('href')).toBe(`/g/${otherGroup.id}`);
  await chair.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // A chip copied from another draft keeps its citation; one whose paragraph is gone says so.
  await pasteHtml(
    chair,
    `<p data-pm-slice="1 1 []">See <cite data-citation data-source-id="${sourceId}" data-pid="IX.9" data-cite-as="Options Paper" data-label="IX.9">Options Paper IX.9</cite></p>`,
  );
  await chip(chair).waitFor();
  expect(await chip(chair).textContent()).toBe('Options Paper IX.9');
  await chip(chair).hover();
  await expect.poll(() => chair.getByRole('tooltip').textContent(), until).toContain('This paragraph is no longer in the source.');
  // Stored and indexed before the page is left (the source's "Cited in" lists it below).
  await expect
    .poll(async () => JSON.stringify(await apiOk(server.url, chairAuth(), 'GET', `/api/sources/${sourceId}/citations`)), { timeout: 15_000, interval: 300 })
    .toContain(otherDraft);
});

it('cites V.4 from the picker with the keyboard, shows the paragraph on hover and opens the source at it', async () => {
  await openDocument(chair, server.url, draftId);
  await editorText(chair).click();
  await chair.keyboard.type('The WG retained ');
  const cite = chair.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Cite a source paper' });
  expect(await cite.getAttribute('aria-keyshortcuts')).toBe('Control+Alt+c');

  await chair.keyboard.press('Control+Alt+C');
  const dialog = chair.getByRole('dialog', { name: 'Cite a source paper' });
  const search = dialog.getByRole('combobox', { name: 'Paragraph of Options Paper' });
  await search.waitFor();
  await expect.poll(() => search.evaluate((element) => element === document.activeElement), until).toBe(true);
  await dialog.getByRole('option').first().waitFor();
  await chair.keyboard.type('V.4');
  const best = dialog.getByRole('option', { selected: true });
  await expect.poll(() => best.locator('.citation-picker__label').textContent(), until).toBe('V.4');
  expect(await best.textContent()).toContain('On communication between different fora');
  expect(await dialog.getByRole('status').first().textContent()).toMatch(/paragraphs match/);
  await screenshot(chair, 'citations-picker');
  await chair.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });

  await chip(chair).waitFor();
  expect(await chip(chair).textContent()).toBe('Options Paper V.4');
  expect(await chip(chair).getAttribute('data-pid')).toBe(pids.get('V.4'));
  // The caret is after the chip: writing goes on.
  await settleCaret(chair);
  await chair.keyboard.type(' as a priority.');
  await expect.poll(() => documentText(chair), until).toBe('The WG retained Options Paper V.4 as a priority.');

  // Hovering shows the paragraph's text.
  await chip(chair).hover();
  const card = chair.getByRole('tooltip');
  await expect.poll(() => card.textContent(), until).toContain(V4_TEXT);
  expect(await card.textContent()).toContain('Click to open it in the source.');
  expect(await chip(chair).getAttribute('aria-describedby')).toBe('citation-card');
  await screenshot(chair, 'citations-hover-card');
  await chair.mouse.move(5, 400);
  await card.waitFor({ state: 'hidden' });

  // The server indexes the draft's citations shortly after the change is stored.
  await expect
    .poll(async () => JSON.stringify(await apiOk(server.url, chairAuth(), 'GET', `/api/sources/${sourceId}/citations`)), { timeout: 15_000, interval: 300 })
    .toContain(draftId);

  // With the keyboard: the arrow key selects the chip, which shows the card; Enter opens the source.
  await editorText(chair).press('End');
  for (let step = 0; step < ' as a priority.'.length; step++) await chair.keyboard.press('ArrowLeft');
  // The editor reads where the browser moved the caret a moment later (settleCaret).
  await settleCaret(chair);
  await chair.keyboard.press('ArrowLeft');
  await chair.locator('.document-text cite.citation-chip.is-selected').waitFor();
  await expect.poll(() => card.textContent(), until).toContain('Press Enter to open it in the source.');
  const atV4 = `${server.url}/d/${sourceId}#${encodeURIComponent(pids.get('V.4')!)}`;
  await chair.keyboard.press('Enter');
  await chair.waitForURL(atV4);
  await chair.goBack();
  await chip(chair).waitFor();
  expect(await documentText(chair)).toBe('The WG retained Options Paper V.4 as a priority.');

  // With the mouse: a click opens it.
  await chip(chair).click();
  await chair.waitForURL(atV4);
  const target = chair.locator('.document-text .source-block--target');
  await target.waitFor();
  expect(await target.getAttribute('data-pid')).toBe(pids.get('V.4'));
  expect(await target.textContent()).toContain(V4_TEXT);

  // From the source: the drafts that cite it.
  // (The other group's draft cites a paragraph the paper doesn't have.)
  await chair.getByRole('button', { name: 'Cited in 2 drafts' }).click();
  const citedIn = chair.getByRole('region', { name: 'Cited in' });
  const entries = citedIn.getByRole('list', { name: 'Drafts citing this paper' }).locator(':scope > li');
  await expect.poll(() => entries.count(), until).toBe(2);
  expect(await entries.nth(0).textContent()).toBe('Nothing to citeCites paragraphs that are no longer in this paper.');
  const draftLink = entries.nth(1).getByRole('link', { name: DRAFT_TITLE });
  expect(await draftLink.getAttribute('href')).toBe(`/d/${draftId}`);
  expect(await entries.nth(1).getByRole('list', { name: 'Paragraphs cited' }).textContent()).toBe('V.4');
  await screenshot(chair, 'citations-cited-in');
  await chair.keyboard.press('Escape');
  await citedIn.waitFor({ state: 'hidden' });
});

it('runs a priority round: a co-chair opens it, two members indicate, the co-chair closes it and sees the tally', async () => {
  await openSource(chair);
  await chair.getByRole('button', { name: /^Priorities/ }).click();
  const dialog = prioritiesDialog(chair);
  await dialog.getByText('No round yet. Open one to ask the group for its priorities.').waitFor();
  await dialog.getByRole('button', { name: 'Open a round…' }).click();
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Priorities for 2021');
  await dialog.getByRole('spinbutton', { name: 'Proposals each person may indicate' }).fill('3');
  await dialog.getByRole('button', { name: 'Open round' }).click();
  const round = dialog.getByRole('listitem', { name: 'Priorities for 2021' });
  await round.getByText('Open', { exact: true }).waitFor();
  expect(await round.textContent()).toContain('Indicate up to 3');
  await screenshot(chair, 'priorities-rounds');
  await chair.keyboard.press('Escape');

  // Each member marks proposals in their own browser; more than three is refused.
  const choices: [Page, string[]][] = [
    [amrita, ['V.4', 'IV.2', 'X.1']],
    [jorge, ['V.4', 'VIII.1']],
  ];
  for (const [page, labels] of choices) {
    await openSource(page);
    await page.getByRole('button', { name: 'Priorities, 1 open round' }).click();
    await prioritiesDialog(page).getByRole('button', { name: 'Choose proposals' }).click();
    for (const label of labels) await proposal(page, label).check();
    expect(await prioritiesDialog(page).getByTestId('chosen-count').textContent()).toBe(`${labels.length} of 3 chosen · not saved yet`);
    if (labels.length === 3) {
      await proposal(page, 'VII.1').click();
      await prioritiesDialog(page).getByText('You can choose at most 3 in this round. Unmark one to choose another.').waitFor();
      expect(await proposal(page, 'VII.1').isChecked()).toBe(false);
      await screenshot(page, 'priorities-indicate');
    }
    await prioritiesDialog(page).getByRole('button', { name: 'Save my choices' }).click();
    await prioritiesDialog(page).getByText(`Saved: your ${labels.length} choices count in this round.`).waitFor();
    expect(await prioritiesDialog(page).getByTestId('chosen-count').textContent()).toBe(`${labels.length} of 3 chosen`);
  }
  // The co-chair indicates too (co-chairs are eligible), through the API.
  const { rounds } = await apiOk<{ rounds: { id: string }[] }>(server.url, chairAuth(), 'GET', `/api/sources/${sourceId}/rounds`);
  await apiOk(server.url, chairAuth(), 'PUT', `/api/sources/${sourceId}/rounds/${rounds[0].id}/indications`, { pids: [pids.get('V.4'), pids.get('IV.2')] });

  await chair.getByRole('button', { name: 'Priorities, 1 open round' }).click();
  await round.getByText('3 people have indicated', { exact: false }).waitFor();
  await round.getByRole('button', { name: 'Close round…' }).click();
  await round.getByRole('button', { name: 'Close now' }).click();
  await round.getByText('Closed', { exact: true }).waitFor();
  await round.getByRole('button', { name: 'Show the tally' }).click();

  const tally = dialog.getByTestId('tally');
  await tally.waitFor();
  expect(await dialog.locator('.dialog__title').textContent()).toBe('Tally: Priorities for 2021');
  expect(await tally.locator('.tally__intro').textContent()).toMatch(/^3 people indicated their priorities\./);
  expect(await tally.locator('.tally__summary li').allTextContents()).toEqual([
    '1 proposal received 3 indications',
    '1 proposal received 2 indications',
    '2 proposals received 1 indication',
  ]);
  expect(await tally.locator('.tally__heading').allTextContents()).toEqual([
    'Proposals that received 3 indications',
    'Proposals that received 2 indications',
    'Proposals that received 1 indication',
  ]);
  const top = tally.getByRole('region', { name: 'Proposals that received 3 indications' });
  expect(await top.locator('.tally__text').textContent()).toContain(V4_TEXT);
  expect(await top.locator('.tally__names').textContent()).toBe('Indicated by Amrita Choudhury, Chengetai Masango, Jorge Cancio');
  await screenshot(chair, 'priorities-tally');
});

it('inserts the tally into a draft as a table of cited proposals', async () => {
  const dialog = prioritiesDialog(chair);
  await dialog.getByRole('button', { name: 'Insert into a draft…' }).click();
  const form = dialog.getByRole('form', { name: 'Insert the tally into a draft' });
  await form.getByRole('combobox', { name: 'Draft' }).selectOption({ label: DRAFT_TITLE });
  await form.getByRole('button', { name: 'Open the draft and insert the table' }).click();

  await chair.waitForURL(`${server.url}/d/${draftId}`);
  await chair.getByTestId('tally-inserted').waitFor();
  await screenshot(chair, 'priorities-tally-inserted');
  const table = chair.locator('.document-text table');
  await table.waitFor();
  expect(await table.locator('th').allTextContents()).toEqual(['Indications', 'Proposal', 'Text']);
  const rows = table.locator('tr');
  await expect.poll(() => rows.count(), until).toBe(5);
  const cells = async (index: number) => rows.nth(index).locator('td').allTextContents();
  expect(await cells(1)).toEqual(['3', 'Options Paper V.4', expect.stringMatching(/^On communication between different fora: Introduce reporting/)]);
  expect((await cells(2)).slice(0, 2)).toEqual(['2', 'Options Paper IV.2']);
  expect((await rows.locator('td:first-child').allTextContents()).slice(2)).toEqual(['1', '1']);
  expect(await table.locator('cite.citation-chip').count()).toBe(4);
  // The text written before is still first, the table comes after it.
  const paragraphs = await chair.locator('.document-text > p').allTextContents();
  expect(paragraphs[0]).toBe('The WG retained Options Paper V.4 as a priority.');
  expect(paragraphs[1]).toMatch(/^Priorities for 2021 — 3 people indicated priorities among the proposals of the Options Paper \(round closed .+\)\.$/);
  // The request left the address: a reload doesn't insert it again.
  expect(new URL(chair.url()).search).toBe('');
  await chair.locator('.document-text > p', { hasText: 'Priorities for 2021' }).evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await screenshot(chair, 'priorities-table-in-draft');

  await expect
    .poll(async () => (await fetch(`${server.url}/api/documents/${draftId}/export.md`, { headers: { cookie: group.chair.cookie } })).text(), {
      timeout: 15_000,
      interval: 300,
    })
    .toContain('| 3 | Options Paper V.4 | On communication between different fora');
  const markdown = await (await fetch(`${server.url}/api/documents/${draftId}/export.md`, { headers: { cookie: group.chair.cookie } })).text();
  expect(markdown).toContain('| Indications | Proposal | Text |');
  expect(markdown).toContain('| 2 | Options Paper IV.2 |');

  await chair.reload();
  await editorText(chair).waitFor();
  await expect.poll(() => chair.locator('.document-text table').count(), until).toBe(1);
  await new Promise((wait) => setTimeout(wait, 800));
  expect(await chair.locator('.document-text table').count()).toBe(1);
});

/**
 * Source papers in the browser: a co-chair imports the working group's priorities paper (text)
 * from the group page as "Options Paper" and lands in the read-only source, whose margin shows
 * the paper's own numbers ("V.4"). Two members, each in their own browser profile, annotate
 * paragraph V.4 (one supports the whole paragraph from its Annotate button, the other raises a
 * concern on a selection) and see each other's annotations live; the paragraph's margin sums
 * them up; the filter shows only annotated paragraphs, the panel filters by stance. Typing
 * changes nothing; the co-chair corrects a label and the members see it live; a link to the
 * paragraph brings it into view; the annotations download as W3C JSON-LD. An observer annotates
 * too; on a narrow screen the labels go above the paragraphs.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { joinGroup, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, screenshot, settleCaret } from './support/browser';
import { selectText } from './support/comments';
import { REPO_ROOT, startServer, type TestServer } from './support/server';

const SAMPLE = join(REPO_ROOT, '../shared/samples/wg-priorities-from-options-paper.txt');
const TITLE = 'MAG WG ON IGF STRENGTHENING AND STRATEGY';
const V4_START = 'V.4. On communication between different fora';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let chair: Page;
let amrita: Page;
let jorge: Page;
let observer: Page;
let sourceUrl: string;
/** The paragraph id of proposal V.4 (its first occurrence, in the body of the paper). */
let v4: string;

const until = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  const amritaAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  const jorgeAccount = await joinGroup(server.url, group, 'member', 'Jorge Cancio');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  amrita = await (await signedInContext(browser, server.url, amritaAccount)).newPage();
  jorge = await (await signedInContext(browser, server.url, jorgeAccount)).newPage();
  const observerAccount = await joinGroup(server.url, group, 'observer', 'Coalition on Youth');
  observer = await (await signedInContext(browser, server.url, observerAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const annotationsPanel = (page: Page) => page.getByRole('complementary', { name: /^Annotations/ });
const margin = (page: Page, pid: string) => page.locator(`.document-text [data-margin-for="${pid}"]`);
const summary = (page: Page, pid: string) => margin(page, pid).getByTestId('paragraph-annotations');
const card = (page: Page, author: string): Locator =>
  annotationsPanel(page).locator('article.thread').filter({ has: page.locator('.comment__author', { hasText: author }) });

/** Opens the source and waits for its margin (the content has arrived and been numbered). */
async function openSource(page: Page): Promise<void> {
  await page.goto(sourceUrl);
  await margin(page, v4).waitFor();
}

it('lets a co-chair import a source paper from the group page and opens it with its own numbering in the margin', async () => {
  await chair.goto(`${server.url}/g/${group.id}`);
  const section = chair.getByRole('region', { name: 'Source papers' });
  await section.getByText('No source papers yet.').waitFor();
  await section.getByRole('button', { name: 'Import source paper…' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Import a source paper' });
  await dialog.waitFor();
  const fileInput = dialog.getByLabel('File');
  expect(await fileInput.getAttribute('accept')).toBe('.docx,.md,.markdown,.html,.htm,.txt');

  // A file that can't be a source is refused before anything is sent.
  await fileInput.setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
  await dialog.getByText('Choose a Word document (.docx), Markdown (.md), a web page (.html, .htm) or a text file (.txt).').waitFor();
  expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

  // A file the server can't read: its reason is shown, and nothing is created.
  await fileInput.setInputFiles({ name: 'broken.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a zip file at all') });
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toBe('This file couldn’t be read as a Word document (not a DOCX file: it is not a ZIP archive).');
  expect(chair.url()).toBe(`${server.url}/g/${group.id}`);

  // The title is taken from the file; the short name for citations is the co-chair's.
  await fileInput.setInputFiles(SAMPLE);
  await expect.poll(() => dialog.getByLabel('Title').inputValue(), until).toBe(TITLE);
  await dialog.getByLabel('Cite as').fill('Options Paper');
  await screenshot(chair, 'sources-import-dialog');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();

  await chair.waitForURL(/\/d\/[^/#]+$/, { timeout: 15_000 });
  sourceUrl = chair.url();
  const bar = chair.getByTestId('source-bar');
  expect(await bar.textContent()).toContain('Source paper — read only. Select text or a paragraph to annotate.');
  await margin(chair, (await chair.locator('.document-text [data-pid]').first().getAttribute('data-pid'))!).waitFor();
  await screenshot(chair, 'sources-top');
  // No formatting toolbar on a source.
  expect(await chair.getByRole('toolbar', { name: 'Formatting' }).count()).toBe(0);

  const v4Block = chair.locator('.document-text p[data-pid]', { hasText: V4_START }).first();
  await v4Block.waitFor();
  v4 = (await v4Block.getAttribute('data-pid'))!;
  expect(await margin(chair, v4).locator('.source-margin__label').textContent()).toBe('V.4');
  // Headings and sub-items carry their labels too.
  expect(await chair.locator('.document-text h2, .document-text h1, .document-text h3').filter({ hasText: 'PROPOSAL 2' }).locator('.source-margin__label').textContent()).toBe(
    'Proposal 2',
  );
  expect(await chair.locator('.document-text li p', { hasText: '1) As noted in the WG response' }).locator('.source-margin__label').textContent()).toBe('V.4(1)');
  // The label sits in the left margin, beside the first line of its paragraph.
  const label = await margin(chair, v4).locator('.source-margin__label').boundingBox();
  const text = await v4Block.boundingBox();
  expect(label!.x + label!.width).toBeLessThan(text!.x);
  expect(Math.abs(label!.y + label!.height / 2 - (text!.y + 27 / 2))).toBeLessThan(6);
  await v4Block.scrollIntoViewIfNeeded();
  await screenshot(chair, 'sources-opened');

  // The group page lists it among the source papers, with the name citations use.
  await chair.goto(`${server.url}/g/${group.id}`);
  const row = chair.getByRole('list', { name: 'Source papers' }).getByTestId('document-row');
  await row.waitFor();
  expect(await row.textContent()).toContain('Cited as “Options Paper”');
  await screenshot(chair, 'sources-group-page');
  expect(await chair.getByRole('list', { name: 'Drafts' }).count()).toBe(0);
});

it('lets two members annotate paragraph V.4 with a stance and see each other’s annotations live', async () => {
  await openSource(amrita);
  await openSource(jorge);
  await openSource(chair);
  await annotationsPanel(amrita).getByText('No annotations yet. Select text, or press a paragraph’s Annotate button.').waitFor();

  // Amrita supports the whole paragraph, from its Annotate button.
  await amrita.locator('.document-text p', { hasText: V4_START }).first().hover();
  await amrita.getByRole('button', { name: 'Annotate paragraph V.4' }).first().click();
  const draft = annotationsPanel(amrita).getByRole('region', { name: 'New annotation' });
  await draft.waitFor();
  expect(await draft.locator('.thread__quote').textContent()).toContain('Introduce reporting between the IGF and decision-making bodies');
  await draft.getByRole('radio', { name: 'Support' }).check();
  await draft.getByRole('combobox', { name: 'New annotation' }).fill('Reporting both ways is what the MHLB proposal needs.');
  await screenshot(amrita, 'sources-annotate-composer');
  await draft.getByRole('button', { name: 'Annotate', exact: true }).click();
  await card(amrita, 'Amrita Choudhury').getByTestId('stance-chip').filter({ hasText: 'Support' }).waitFor();

  // Jorge raises a concern about part of it, selected with the mouse.
  // In the middle of the window: a drag near its edge would scroll the page.
  await jorge.locator('.document-text p', { hasText: V4_START }).first().evaluate((element) => element.scrollIntoView({ block: 'center' }));
  expect(await selectText(jorge, 'decision-making bodies systematically')).toBe('decision-making bodies systematically');
  await jorge.getByTestId('source-bar').getByRole('button', { name: 'Annotate' }).click();
  const jorgeDraft = annotationsPanel(jorge).getByRole('region', { name: 'New annotation' });
  await jorgeDraft.getByRole('radio', { name: 'Concern' }).check();
  await jorgeDraft.getByRole('combobox', { name: 'New annotation' }).fill('Systematic invitations may overload the programme.');
  await jorgeDraft.getByRole('combobox', { name: 'New annotation' }).press('Control+Enter');

  for (const page of [amrita, jorge, chair]) {
    await card(page, 'Amrita Choudhury').getByTestId('stance-chip').filter({ hasText: 'Support' }).waitFor();
    await card(page, 'Jorge Cancio').getByTestId('stance-chip').filter({ hasText: 'Concern' }).waitFor();
    await expect.poll(() => summary(page, v4).textContent(), until).toBe('1 support · 1 concern');
  }
  expect(await jorge.locator('.document-text .comment-highlight').allTextContents()).toContain('decision-making bodies systematically');
  await screenshot(jorge, 'sources-annotated');
});

it('filters the paper to annotated paragraphs and the panel by stance', async () => {
  const filter = amrita.getByRole('checkbox', { name: /Only annotated paragraphs/ });
  await filter.check();
  await expect.poll(() => amrita.locator('.document-text .source-block:visible').count(), until).toBe(1);
  expect(await amrita.locator('.document-text .source-block:visible').textContent()).toContain(V4_START);
  await screenshot(amrita, 'sources-only-annotated');
  await filter.uncheck();
  await expect.poll(() => amrita.locator('.document-text .source-block:visible').count(), until).toBeGreaterThan(50);

  const stance = annotationsPanel(amrita).getByRole('combobox', { name: 'Stance' });
  await stance.selectOption({ label: 'Concern' });
  await expect.poll(() => annotationsPanel(amrita).locator('article.thread').count(), until).toBe(1);
  await card(amrita, 'Jorge Cancio').waitFor();
  await stance.selectOption({ label: 'Question' });
  await annotationsPanel(amrita).getByText('No threads match these filters.').waitFor();
  await stance.selectOption({ label: 'Any stance' });
  await expect.poll(() => annotationsPanel(amrita).locator('article.thread').count(), until).toBe(2);
});

it('doesn’t let a member change the text', async () => {
  const before = await documentText(amrita);
  expect(await editorText(amrita).getAttribute('contenteditable')).toBe('false');
  await amrita.locator('.document-text p', { hasText: 'Roadmap: Paragraphs 93(a) and 93(c)' }).click();
  await settleCaret(amrita);
  await amrita.keyboard.type('Edited by a member. ');
  await amrita.keyboard.press('Backspace');
  await amrita.keyboard.press('Enter');
  await settleCaret(amrita);
  expect(await documentText(amrita)).toBe(before);
  // Nor does anyone else see a change.
  await new Promise((wait) => setTimeout(wait, 500));
  expect(await documentText(chair)).toBe(before);
});

it('lets the co-chair correct a label, which members see live', async () => {
  // Members see the label as text, not as a control.
  expect(await margin(amrita, v4).getByRole('button').count()).toBe(0);
  await margin(chair, v4).getByRole('button', { name: 'Paragraph V.4: correct the label' }).click();
  const field = chair.getByRole('form', { name: 'Correct the label V.4' }).getByRole('textbox', { name: 'Label' });
  await field.waitFor();
  expect(await field.evaluate((element) => element === document.activeElement)).toBe(true);
  await field.fill('V.4 (OP)');
  await screenshot(chair, 'sources-correct-label');
  await field.press('Enter');
  for (const page of [chair, amrita, jorge]) {
    await expect.poll(() => margin(page, v4).locator('.source-margin__label').textContent(), until).toBe('V.4 (OP)');
  }
  // The annotations stay with the paragraph.
  expect(await summary(amrita, v4).textContent()).toBe('1 support · 1 concern');
  await expect.poll(() => chair.evaluate(() => document.activeElement?.textContent), until).toBe('V.4 (OP)');
  await margin(amrita, v4).evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await screenshot(amrita, 'sources-label-corrected');
});

it('opens a link to a paragraph at that paragraph, marked', async () => {
  // A new tab, as a link from a draft or an e-mail would open.
  const tab = await jorge.context().newPage();
  await tab.goto(`${sourceUrl}#${encodeURIComponent(v4)}`);
  const target = tab.locator('.document-text .source-block--target');
  await target.waitFor();
  expect(await target.getAttribute('data-pid')).toBe(v4);
  const inView = () =>
    target.evaluate((element) => {
      const box = element.getBoundingClientRect();
      return box.top > 100 && box.bottom < window.innerHeight;
    });
  await expect.poll(inView, until).toBe(true);
  await screenshot(tab, 'sources-deep-link');

  // Following another paragraph's link in the same tab moves the mark there.
  const other = (await tab.locator('.document-text p[data-pid]', { hasText: 'Roadmap: Paragraphs 93(a) and 93(c)' }).first().getAttribute('data-pid'))!;
  await tab.evaluate((pid) => (location.hash = encodeURIComponent(pid)), other);
  await expect.poll(() => target.getAttribute('data-pid'), until).toBe(other);
  await tab.close();
});

it('downloads the annotations as W3C Web Annotation JSON-LD', async () => {
  const link = amrita.getByRole('link', { name: 'Download annotations (W3C JSON-LD)' });
  const href = await link.getAttribute('href');
  expect(await link.getAttribute('download')).toBe('Options Paper annotations.jsonld');
  const response = await amrita.request.get(new URL(href!, server.url).toString());
  expect(response.status()).toBe(200);
  const collection = (await response.json()) as { type: string; first?: { items: { target: { source: string } }[] }; items?: unknown[] };
  expect(JSON.stringify(collection)).toContain(`#${v4}`);
  expect(JSON.stringify(collection)).toContain('Systematic invitations may overload the programme.');
});

it('lets an observer annotate too, and puts the labels above the paragraphs on a narrow screen', async () => {
  await openSource(observer);
  const roadmap = observer.locator('.document-text p[data-pid]', { hasText: 'Roadmap: Paragraphs 93(a) and 93(c)' }).first();
  const pid = (await roadmap.getAttribute('data-pid'))!;
  await roadmap.hover();
  await margin(observer, pid).waitFor();
  await observer.getByRole('button', { name: `Annotate paragraph ${await margin(observer, pid).locator('.source-margin__label').textContent()}` }).first().click();
  const draft = annotationsPanel(observer).getByRole('region', { name: 'New annotation' });
  await draft.getByRole('radio', { name: 'Question' }).check();
  await draft.getByRole('combobox', { name: 'New annotation' }).fill('Which of the two paragraphs does the proposal follow?');
  await draft.getByRole('button', { name: 'Annotate', exact: true }).click();
  await expect.poll(() => summary(amrita, pid).textContent(), until).toBe('1 question');
  await card(amrita, 'Coalition on Youth').getByTestId('stance-chip').filter({ hasText: 'Question' }).waitFor();

  await observer.setViewportSize({ width: 640, height: 860 });
  // The panel lies over the page on a small screen: put it away to read.
  await annotationsPanel(observer).getByRole('button', { name: 'Hide annotations' }).click();
  await roadmap.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  const label = await margin(observer, pid).boundingBox();
  const text = await roadmap.locator('.comment-highlight').first().boundingBox();
  expect(label!.y + label!.height).toBeLessThanOrEqual(text!.y + 1);
  expect(label!.x).toBeGreaterThanOrEqual(text!.x - 1);
  await screenshot(observer, 'sources-narrow');
});

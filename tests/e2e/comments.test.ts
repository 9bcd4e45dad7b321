/**
 * Comment threads in the browser, with two members and a co-chair in three browser profiles on
 * one draft: a member selects text and starts a thread (mentioning the other), everyone sees it
 * and its highlight live; the other member replies; only the co-chair can resolve, and does so
 * with a disposition and a reason, seen live by all; the resolution report lists the thread and
 * its CSV download has it. An observer, whose editor is read-only, can still select text and
 * comment.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, screenshot, settleCaret } from './support/browser';
import { commentsPanel, highlights, selectText, threadCard } from './support/comments';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let amritaAccount: TestAccount;
let jorgeAccount: TestAccount;
let observerAccount: TestAccount;
let chair: Page;
let amrita: Page;
let jorge: Page;
let documentId: string;
let observerPage: Page;

const until = { timeout: 10_000, interval: 100 };
const PARAGRAPH = 'The IGF should strengthen its intersessional work and its links to national and regional initiatives.';
const SECOND = 'A multistakeholder steering body would guide the work between annual meetings.';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  amritaAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  jorgeAccount = await joinGroup(server.url, group, 'member', 'Jorge Cancio');
  observerAccount = await joinGroup(server.url, group, 'observer', 'Coalition on Youth');
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Strategy paper');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  amrita = await (await signedInContext(browser, server.url, amritaAccount)).newPage();
  jorge = await (await signedInContext(browser, server.url, jorgeAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('starts with an empty panel that says how to comment', async () => {
  await openDocument(chair, server.url, documentId);
  await editorText(chair).click();
  await chair.keyboard.type(PARAGRAPH);
  await chair.keyboard.press('Enter');
  await chair.keyboard.type(SECOND);
  await openDocument(amrita, server.url, documentId);
  await openDocument(jorge, server.url, documentId);
  for (const page of [amrita, jorge]) await expect.poll(() => documentText(page), until).toBe(`${PARAGRAPH}${SECOND}`);

  await commentsPanel(amrita).getByText('No comments yet. Select text and press Comment.').waitFor();
  // Nothing selected: the toolbar's Comment button waits for a selection.
  const toolbarComment = amrita.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Comment', exact: true });
  expect(await toolbarComment.isDisabled()).toBe(true);
});

it('lets a member select text and start a thread that everyone sees live, highlighted', async () => {
  expect(await selectText(amrita, 'intersessional work')).toBe('intersessional work');
  // A small button appears beside the selection, and the toolbar's Comment button is enabled.
  await amrita.getByRole('button', { name: 'Comment on the selected text' }).waitFor();
  await screenshot(amrita, 'comments-selection');
  await amrita.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Comment', exact: true }).click();

  const composer = commentsPanel(amrita).getByRole('combobox', { name: 'New comment' });
  await composer.waitFor();
  expect(await composer.evaluate((element) => element === document.activeElement)).toBe(true);
  await commentsPanel(amrita).locator('.thread--draft .thread__quote', { hasText: 'intersessional work' }).waitFor();
  // The text being commented on is marked while the comment is written.
  await amrita.locator('.document-text .comment-highlight--draft', { hasText: 'intersessional work' }).waitFor();

  // @mention: typing "@Jo" offers Jorge; Enter inserts his name.
  await composer.pressSequentially('Which bodies does this cover, @Jo');
  const suggestions = amrita.getByRole('listbox', { name: 'People to mention' });
  await suggestions.waitFor();
  expect(await suggestions.getByRole('option').allInnerTexts()).toEqual(['JC\nJorge Cancio']);
  await composer.press('Enter');
  await composer.pressSequentially('? The dynamic coalitions too?');
  expect(await composer.inputValue()).toBe('Which bodies does this cover, @Jorge Cancio ? The dynamic coalitions too?');
  await screenshot(amrita, 'comments-composer');
  await composer.press('Control+Enter');

  const card = threadCard(amrita, 'intersessional work');
  await card.getByText('Which bodies does this cover').waitFor();
  await expect.poll(() => commentsPanel(amrita).getByRole('combobox', { name: 'New comment' }).count()).toBe(0);

  // Jorge and the co-chair see it without reloading: the thread, the highlight, the count.
  for (const page of [jorge, chair]) {
    await threadCard(page, 'intersessional work').getByText('Which bodies does this cover').waitFor();
    await expect.poll(() => highlights(page).allTextContents(), until).toEqual(['intersessional work']);
    await expect.poll(() => page.getByTestId('comments-count').textContent(), until).toBe('1');
  }
  // The mention is shown as such, and stands out for the person mentioned.
  const mention = threadCard(jorge, 'intersessional work').locator('.comment-mention');
  expect(await mention.textContent()).toBe('@Jorge Cancio');
  expect(await mention.getAttribute('class')).toContain('comment-mention--self');
  // Author, time.
  const head = threadCard(jorge, 'intersessional work').locator('.comment__head').first();
  expect(await head.textContent()).toContain('Amrita Choudhury');
  expect(await head.locator('time').textContent()).toBe('just now');

  // Clicking the highlighted text makes its thread the active one, opening the panel if it was hidden.
  await commentsPanel(chair).getByRole('button', { name: 'Hide comments' }).click();
  await commentsPanel(chair).waitFor({ state: 'detached' });
  expect(await chair.getByRole('button', { name: 'Comments, 1 open' }).getAttribute('aria-expanded')).toBe('false');
  await highlights(chair).first().click();
  await expect.poll(() => threadCard(chair, 'intersessional work').getAttribute('class'), until).toContain('thread--active');
  await expect.poll(() => chair.locator('.comment-highlight--active').count(), until).toBe(1);
  await screenshot(jorge, 'comments-thread-live');
});

it('keeps the highlight on its words while others edit around them', async () => {
  // The co-chair types before the anchored words; everyone's highlight follows them.
  await selectText(chair, 'strengthen');
  await chair.keyboard.type('considerably strengthen');
  await settleCaret(chair);
  for (const page of [chair, amrita, jorge]) {
    await expect.poll(() => documentText(page), until).toContain('considerably strengthen its intersessional work');
    await expect.poll(() => highlights(page).allTextContents(), until).toEqual(['intersessional work']);
  }
});

it('shows a reply live to everyone', async () => {
  const reply = threadCard(jorge, 'intersessional work').getByRole('combobox', { name: 'Reply to thread 1' });
  await reply.click();
  await reply.pressSequentially('Yes: the dynamic coalitions and the best practice forums.');
  await reply.press('Control+Enter');
  for (const page of [jorge, amrita, chair]) {
    // A posted comment (not the reply box, which holds the same words while it posts).
    await threadCard(page, 'intersessional work').locator('li.comment', { hasText: 'Yes: the dynamic coalitions and the best practice forums.' }).waitFor();
  }
  expect(await threadCard(amrita, 'intersessional work').locator('.comment__author').allTextContents()).toEqual(['Amrita Choudhury', 'Jorge Cancio']);

  // Filters by person: the thread mentions Jorge, not the co-chair.
  const who = (page: Page) => commentsPanel(page).getByRole('combobox', { name: 'Whose threads' });
  await who(jorge).selectOption({ label: 'Mentioning me' });
  await threadCard(jorge, 'intersessional work').waitFor();
  await who(chair).selectOption({ label: 'Mentioning me' });
  await commentsPanel(chair).getByText('No threads mention you.').waitFor();
  await who(chair).selectOption({ label: 'Amrita Choudhury' });
  await threadCard(chair, 'intersessional work').waitFor();
  for (const page of [jorge, chair]) await who(page).selectOption({ label: 'Everyone' });
});

it('lets only the author edit their comment, and members cannot resolve', async () => {
  // Amrita edits her own comment; she has no edit button on Jorge's.
  const card = threadCard(amrita, 'intersessional work');
  expect(await card.getByRole('button', { name: 'Edit comment' }).count()).toBe(1);
  await card.getByRole('button', { name: 'Edit comment' }).click();
  const edit = card.getByRole('combobox', { name: 'Edit comment' });
  // The caret starts at the end of the text.
  await edit.pressSequentially(' And the NRIs?');
  await edit.press('Control+Enter');
  await threadCard(chair, 'intersessional work').getByText('The dynamic coalitions too? And the NRIs?').waitFor();
  expect(await threadCard(chair, 'intersessional work').locator('.comment__edited').count()).toBe(1);

  for (const page of [amrita, jorge]) {
    expect(await threadCard(page, 'intersessional work').getByRole('button', { name: 'Resolve' }).count()).toBe(0);
  }
});

it('lets the co-chair resolve the thread with a disposition and a reason, seen live by everyone', async () => {
  const card = threadCard(chair, 'intersessional work');
  await card.getByRole('button', { name: 'Resolve' }).click();
  const form = card.getByRole('form', { name: 'Resolve thread 1' });
  await form.getByLabel('Disposition').selectOption({ label: 'Partly incorporated' });
  await form.getByLabel('Reason (optional)').fill('Dynamic coalitions are named in paragraph 3; NRIs stay out of scope.');
  await screenshot(chair, 'comments-resolve-form');
  await form.getByRole('button', { name: 'Resolve' }).click();

  for (const page of [chair, amrita, jorge]) {
    const resolved = commentsPanel(page).getByRole('article', { name: 'Resolved thread 1' });
    await resolved.waitFor();
    const summary = await resolved.locator('.thread__summary').textContent();
    expect(summary).toContain('Partly incorporated');
    expect(summary).toContain('Chengetai Masango');
    // Resolved threads are no longer highlighted in the text, and not counted as open.
    await expect.poll(() => highlights(page).count(), until).toBe(0);
    await expect.poll(() => page.getByTestId('comments-count').textContent(), until).toBe('0');
  }

  // Expanded, the resolved thread shows its discussion, reason and history; only co-chairs can reopen it.
  const resolved = commentsPanel(amrita).getByRole('article', { name: 'Resolved thread 1' });
  await resolved.locator('.thread__summary').click();
  await resolved.locator('.thread__resolution', { hasText: 'Dynamic coalitions are named in paragraph 3; NRIs stay out of scope.' }).waitFor();
  // The history is open on a resolved thread.
  expect(await resolved.locator('.thread__history li').first().textContent()).toContain('Resolved as Partly incorporated by Chengetai Masango');
  expect(await resolved.getByRole('button', { name: 'Reopen' }).count()).toBe(0);
  expect(await resolved.getByRole('combobox', { name: /Reply/ }).count()).toBe(0);
  await screenshot(amrita, 'comments-resolved');
  await commentsPanel(chair).getByRole('article', { name: 'Resolved thread 1' }).locator('.thread__summary').click();
  expect(await commentsPanel(chair).getByRole('article', { name: 'Resolved thread 1' }).getByRole('button', { name: 'Reopen' }).count()).toBe(1);

  // Filters: Open shows nothing now, Resolved shows the thread.
  await commentsPanel(jorge).getByRole('button', { name: /^Open/ }).click();
  await commentsPanel(jorge).getByText('No open threads: everything is resolved.').waitFor();
  await commentsPanel(jorge).getByRole('button', { name: /^Resolved/ }).click();
  await commentsPanel(jorge).getByRole('article', { name: 'Resolved thread 1' }).waitFor();
  await commentsPanel(jorge).getByRole('button', { name: /^All/ }).click();
});

it('lists the thread in the resolution report, on the page and in the CSV download', async () => {
  await commentsPanel(amrita).getByRole('link', { name: 'Resolution report' }).click();
  await amrita.getByRole('heading', { name: 'Comment resolution report' }).waitFor();
  expect(new URL(amrita.url()).pathname).toBe(`/d/${documentId}/report`);
  const row = amrita.locator('.report-table tbody tr').first();
  const text = (await row.textContent()) ?? '';
  for (const expected of [
    'intersessional work',
    'Which bodies does this cover, @Jorge Cancio ? The dynamic coalitions too? And the NRIs?',
    'Yes: the dynamic coalitions and the best practice forums.',
    'Resolved',
    'Partly incorporated',
    'Dynamic coalitions are named in paragraph 3; NRIs stay out of scope.',
    'Chengetai Masango',
  ]) {
    expect(text).toContain(expected);
  }
  await screenshot(amrita, 'comments-report');

  const [download] = await Promise.all([amrita.waitForEvent('download'), amrita.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/Strategy paper - comment resolution\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('"intersessional work"');
  expect(csv).toContain('partly-incorporated');
  expect(csv).toContain('Dynamic coalitions are named in paragraph 3; NRIs stay out of scope.');
  expect(csv).toContain('Chengetai Masango');
  expect(await amrita.getByRole('link', { name: 'Download JSON' }).getAttribute('href')).toBe(`/api/documents/${documentId}/report?format=json`);
});

it('lets the co-chair reopen a resolved thread, highlighted again for everyone', async () => {
  const resolved = commentsPanel(chair).getByRole('article', { name: 'Resolved thread 1' });
  await resolved.getByRole('button', { name: 'Reopen' }).click();
  for (const page of [chair, jorge]) {
    const card = commentsPanel(page).getByRole('article', { name: 'Thread 1' });
    await card.waitFor();
    await expect.poll(() => highlights(page).allTextContents(), until).toEqual(['intersessional work']);
    await card.getByText('History (2)').click();
    expect(await card.locator('.thread__history li').allTextContents()).toEqual([
      expect.stringContaining('Resolved as Partly incorporated by Chengetai Masango'),
      expect.stringContaining('Reopened by Chengetai Masango'),
    ]);
  }
});

it('lets an observer, whose editor is read-only, select text and comment', async () => {
  const observer = await (await signedInContext(browser, server.url, observerAccount)).newPage();
  await openDocument(observer, server.url, documentId);
  await observer.getByTestId('view-only-notice').waitFor();
  expect(await editorText(observer).getAttribute('contenteditable')).toBe('false');
  await expect.poll(() => documentText(observer), until).toContain('national and regional initiatives');

  expect(await selectText(observer, 'national and regional initiatives')).toBe('national and regional initiatives');
  await observer.getByRole('button', { name: 'Comment on the selected text' }).waitFor();
  // Ctrl+Alt+M, as in Google Docs, even though the read-only text doesn't take keys.
  await observer.keyboard.press('Control+Alt+M');
  const composer = commentsPanel(observer).getByRole('combobox', { name: 'New comment' });
  await composer.waitFor();
  await composer.pressSequentially('Please name youth initiatives explicitly.');
  await composer.press('Control+Enter');
  await threadCard(observer, 'national and regional initiatives').getByText('Please name youth initiatives explicitly.').waitFor();
  await screenshot(observer, 'comments-observer');

  for (const page of [chair, jorge]) {
    await threadCard(page, 'national and regional initiatives').getByText('Please name youth initiatives explicitly.').waitFor();
  }
  // The co-chair (back in the editor) sees it highlighted and counted.
  await expect.poll(() => highlights(chair).allTextContents(), until).toEqual(['intersessional work', 'national and regional initiatives']);
  await expect.poll(() => chair.getByTestId('comments-count').textContent(), until).toBe('2');
  // The observer's document is unchanged: commenting doesn't touch the text.
  expect(await documentText(observer)).toBe(await documentText(chair));
  // A click on a highlight in the read-only text opens its thread too.
  await observer.locator('.document-text .comment-highlight', { hasText: 'intersessional work' }).click();
  await expect.poll(() => threadCard(observer, 'intersessional work').getAttribute('class'), until).toContain('thread--active');
  observerPage = observer;
});

it('keeps a thread whose text was deleted, marked "Text removed" and listed last', async () => {
  await selectText(chair, 'national and regional initiatives');
  await chair.keyboard.press('Backspace');
  for (const page of [chair, jorge, observerPage]) {
    const card = threadCard(page, 'national and regional initiatives');
    await card.getByText('Text removed').waitFor();
    await expect.poll(() => highlights(page).allTextContents(), until).toEqual(['intersessional work']);
    // In document order, the thread whose text is gone comes after the others.
    expect(await commentsPanel(page).locator('.thread__number').allTextContents()).toEqual(['1', '2']);
    expect(await commentsPanel(page).locator('article.thread').nth(1).textContent()).toContain('Text removed');
  }
  await screenshot(jorge, 'comments-text-removed');
});

it('asks before deleting a comment, leaves a trace, and removes a thread with its last comment', async () => {
  // The co-chair replies to the observer's thread; the observer deletes their first comment.
  const chairCard = threadCard(chair, 'national and regional initiatives');
  const reply = chairCard.getByRole('combobox', { name: 'Reply to thread 2' });
  await reply.click();
  await reply.pressSequentially('We will add a sentence on youth initiatives.');
  await reply.press('Control+Enter');
  const observerCard = threadCard(observerPage, 'national and regional initiatives');
  await observerCard.getByText('We will add a sentence on youth initiatives.').waitFor();
  // Only one's own comments can be deleted.
  expect(await observerCard.getByRole('button', { name: 'Delete comment' }).count()).toBe(1);
  await observerCard.getByRole('button', { name: 'Delete comment' }).click();
  const dialog = observerPage.getByRole('dialog', { name: 'Delete this comment?' });
  await dialog.waitFor();
  await screenshot(observerPage, 'comments-delete-confirm');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  for (const page of [observerPage, chair]) {
    await threadCard(page, 'national and regional initiatives').getByText('Comment deleted').waitFor();
  }
  // The co-chair deletes the last live comment: the thread goes, for everyone.
  await chairCard.getByRole('button', { name: 'Delete comment' }).click();
  await chair.getByRole('dialog', { name: 'Delete this comment?' }).getByText('the thread will be removed too').waitFor();
  await chair.getByRole('dialog', { name: 'Delete this comment?' }).getByRole('button', { name: 'Delete' }).click();
  for (const page of [chair, jorge, observerPage]) {
    await expect.poll(() => threadCard(page, 'national and regional initiatives').count(), until).toBe(0);
    await expect.poll(() => commentsPanel(page).locator('article.thread').count(), until).toBe(1);
  }
});

it('opens the panel over the page on a narrow screen, closed until asked for', async () => {
  await jorge.evaluate(() => localStorage.removeItem('concord.comments-panel'));
  await jorge.setViewportSize({ width: 1000, height: 800 });
  await jorge.reload();
  await editorText(jorge).waitFor();
  const toggle = jorge.getByRole('button', { name: 'Comments, 1 open' });
  await toggle.waitFor();
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect(await commentsPanel(jorge).count()).toBe(0);
  await toggle.click();
  await threadCard(jorge, 'intersessional work').waitFor();
  const box = await commentsPanel(jorge).boundingBox();
  expect(box && Math.round(box.x + box.width)).toBe(1000);
  await screenshot(jorge, 'comments-narrow');
  // Esc puts it away and gives the focus back to the button that opened it.
  await commentsPanel(jorge).getByRole('combobox', { name: 'Whose threads' }).focus();
  await jorge.keyboard.press('Escape');
  await commentsPanel(jorge).waitFor({ state: 'detached' });
  expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true);
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
});

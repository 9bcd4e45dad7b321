/**
 * Notifications and assignments in the browser, a co-chair and a member in two profiles: the
 * member's bell counts a mention live on the home page, the inbox shows it, opening it goes to
 * the thread in the document and marks it read; the co-chair assigns the thread with a due date
 * (past: overdue); the member sees the assignment live, hears of it at the bell, finds it under
 * "Assigned to me" in the panel and in the bell, and marks all read. axe checks the bell panel
 * and the thread with its assignment controls; the account page's e-mail settings; the mention's
 * e-mail reaches the test SMTP server; opening the document again says what changed since the
 * last visit, with a compare from then. Screenshots in test-artifacts/e2e.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { apiOk } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { axeViolations } from './support/axe';
import { documentText, editorText, launchBrowser, openDocument, screenshot, settleCaret } from './support/browser';
import { commentsPanel, selectText, threadCard } from './support/comments';
import { startServer, type TestServer } from './support/server';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp';

let server: TestServer;
let smtp: TestSmtp;
let browser: Browser;
let group: TestGroup;
let amritaAccount: TestAccount;
let chair: Page;
let amrita: Page;
let documentId: string;

const until = { timeout: 10_000, interval: 100 };
const PARAGRAPH = 'The IGF should strengthen its intersessional work and its links to national and regional initiatives.';
const bell = (page: Page) => page.locator('.bell__button');
const bellPanel = (page: Page) => page.getByRole('dialog', { name: 'Notifications' });

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ env: { SMTP_URL: smtp.url } });
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  amritaAccount = await joinGroup(server.url, group, 'member', 'Amrita Choudhury');
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Strategy paper');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  amrita = await (await signedInContext(browser, server.url, amritaAccount)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

it('counts a mention live at the bell on the home page, and lists it in the inbox', async () => {
  await openDocument(chair, server.url, documentId);
  await editorText(chair).click();
  await chair.keyboard.type(PARAGRAPH);
  await expect.poll(() => documentText(chair), until).toBe(PARAGRAPH);

  await amrita.goto(`${server.url}/`);
  await bell(amrita).waitFor();
  const secondTab = await amrita.context().newPage();
  await secondTab.goto(`${server.url}/`);
  await bell(secondTab).waitFor();
  expect(await bell(amrita).getAttribute('aria-label')).toBe('Notifications');

  await selectText(chair, 'intersessional work');
  await chair.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Comment', exact: true }).click();
  const composer = commentsPanel(chair).getByRole('combobox', { name: 'New comment' });
  await composer.pressSequentially('Could you propose wording for this, @Am');
  await chair.getByRole('listbox', { name: 'People to mention' }).waitFor();
  await composer.press('Enter');
  await composer.press('Control+Enter');
  await threadCard(chair, 'intersessional work').getByText('Could you propose wording').waitFor();

  // Live: no reload on Amrita's side, in each of her tabs (they share one stream).
  await amrita.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
  await secondTab.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
  await secondTab.close();
  expect(await amrita.getByTestId('unread-count').textContent()).toBe('1');
  await screenshot(amrita, 'notifications-bell-count');

  await bell(amrita).click();
  const panel = bellPanel(amrita);
  await panel.waitFor();
  const item = panel.locator('.bell-item--unread');
  await item.getByText('Chengetai Masango mentioned you').waitFor();
  expect(await item.locator('.bell-item__where').textContent()).toBe('Strategy paper · MAG Working Group on Strategy');
  expect(await item.locator('.bell-item__excerpt').textContent()).toBe('“Could you propose wording for this, @Amrita Choudhury”');
  await screenshot(amrita, 'notifications-inbox');
  expect(await axeViolations(amrita, '.bell')).toEqual([]);
});

it('opens the document at the thread from the inbox, and marks it read', async () => {
  await bellPanel(amrita).getByRole('link', { name: /Chengetai Masango mentioned you/ }).click();
  await expect.poll(() => new URL(amrita.url()).pathname, until).toBe(`/d/${documentId}`);
  expect(new URL(amrita.url()).searchParams.get('thread')).toMatch(/^[A-Za-z0-9_-]{16}$/);
  const card = threadCard(amrita, 'intersessional work');
  await card.waitFor();
  await expect.poll(() => card.getAttribute('class'), until).toContain('thread--active');
  await expect.poll(() => bell(amrita).getAttribute('aria-label'), until).toBe('Notifications');
  await screenshot(amrita, 'notifications-opened-thread');
});

it('lets the co-chair assign the thread with a due date; the member sees it live, is told, and finds it under "Assigned to me"', async () => {
  const card = threadCard(chair, 'intersessional work');
  await card.getByRole('button', { name: 'Assign' }).click();
  const form = card.getByRole('form', { name: 'Assign this thread' });
  await form.getByLabel('Assign to').selectOption({ label: 'Amrita Choudhury' });
  await form.getByLabel('Due date (optional)').fill('2026-01-15');
  await screenshot(chair, 'notifications-assign-form');
  expect(await axeViolations(chair, '.comments-panel .thread')).toEqual([]);
  await form.getByRole('button', { name: 'Save' }).click();
  await card.getByTestId('thread-assignment').waitFor();
  expect(await card.getByTestId('thread-assignment').textContent()).toMatch(/^Assigned to Amrita Choudhury · overdue, was due Jan 15, 2026$/);

  // Amrita: the card changes live, and the bell counts the assignment.
  const mine = threadCard(amrita, 'intersessional work');
  await expect.poll(() => mine.getByTestId('thread-assignment').textContent().catch(() => ''), until).toMatch(/^Assigned to you · overdue/);
  await amrita.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
  await commentsPanel(amrita).getByRole('combobox', { name: 'Whose threads' }).selectOption({ label: 'Assigned to me' });
  await expect.poll(() => commentsPanel(amrita).locator('article.thread').count(), until).toBe(1);
  await screenshot(amrita, 'notifications-assigned-thread');

  await bell(amrita).click();
  const panel = bellPanel(amrita);
  await panel.getByText('Chengetai Masango assigned a thread to you, due 2026-01-15').waitFor();
  await panel.getByRole('button', { name: /Assigned to me/ }).click();
  await panel.getByText('1 thread is overdue.').waitFor();
  expect(await panel.locator('.due--overdue').textContent()).toBe('Overdue: due Jan 15, 2026 · assigned by Chengetai Masango');
  await screenshot(amrita, 'notifications-assigned-to-me');
  expect(await axeViolations(amrita, '.bell')).toEqual([]);

  await panel.getByRole('button', { name: /Inbox/ }).click();
  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await expect.poll(() => bell(amrita).getAttribute('aria-label'), until).toBe('Notifications');
  await amrita.keyboard.press('Escape');
  await expect.poll(() => panel.count(), until).toBe(0);
  expect(await amrita.evaluate(() => document.activeElement?.classList.contains('bell__button'))).toBe(true);
});

it('e-mailed the mention, and keeps e-mail settings on the account page where messages link to', async () => {
  const [mention] = await smtp.waitForMessages(1);
  expect(mention.to).toEqual([amritaAccount.user.email]);
  const settingsLink = /notification settings on Concord: (\S+)/.exec(mention.text)![1];
  expect(settingsLink).toBe(`${server.url.replace('127.0.0.1', 'localhost')}/account#notifications`);

  await amrita.goto(`${server.url}/account#notifications`);
  const section = amrita.getByRole('region', { name: 'Notifications by e-mail' });
  const digest = section.getByLabel('Everything else, in a digest');
  await digest.waitFor();
  expect(await digest.inputValue()).toBe('daily');
  await digest.selectOption('hourly');
  await section.getByText('Saved.').waitFor();
  await section.getByLabel('New versions named').uncheck();
  await expect.poll(async () => (await apiOk(server.url, amritaAccount.auth, 'GET', '/api/notifications/settings')).muted, until).toEqual(['version']);
  await screenshot(amrita, 'notifications-settings-kinds');
  await section.getByLabel('Stop all e-mail from Concord').check();
  await expect.poll(() => section.getByLabel('Mentions and threads assigned to me, at once').isDisabled(), until).toBe(true);
  await amrita.reload();
  await expect.poll(() => section.getByLabel('Stop all e-mail from Concord').isChecked(), until).toBe(true);
  expect(await section.getByLabel('Everything else, in a digest').inputValue()).toBe('hourly');
  await screenshot(amrita, 'notifications-settings');
  expect(await axeViolations(amrita, '#notifications')).toEqual([]);
});

it('says what changed since the last visit when a document is opened again, with a compare from then', async () => {
  await apiOk(server.url, { cookie: group.chair.cookie }, 'POST', `/api/documents/${documentId}/versions`, { name: 'Before the meeting', note: '' }, 201);
  await openDocument(amrita, server.url, documentId);
  // Nothing new since her last visit (the text only changed before it).
  await expect.poll(() => amrita.getByTestId('since-last-visit').count(), until).toBe(0);

  await editorText(chair).click();
  await settleCaret(chair);
  await chair.keyboard.press('Control+End');
  await settleCaret(chair);
  await chair.keyboard.press('Enter');
  await chair.keyboard.type('A steering body would guide the work between meetings.');
  await selectText(chair, 'steering body');
  await chair.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Comment', exact: true }).click();
  const composer = commentsPanel(chair).getByRole('combobox', { name: 'New comment' });
  await composer.pressSequentially('Who would sit on it?');
  await composer.press('Control+Enter');
  // Amrita's page has it all live, so the server stored it.
  await threadCard(amrita, 'steering body').waitFor();
  await expect.poll(() => documentText(amrita), until).toContain('between meetings.');

  await amrita.reload();
  const bar = amrita.getByTestId('since-last-visit');
  await bar.waitFor();
  expect((await bar.textContent())?.replace(/\s+/g, ' ')).toMatch(
    /^Since your last visit (just now|\d+ seconds? ago): the text changed \(compare with then\); 1 new thread: Chengetai Masango on “steering body”\.$/,
  );
  await screenshot(amrita, 'notifications-since-last-visit');
  expect(await axeViolations(amrita, '.since-visit')).toEqual([]);
  await bar.getByRole('link', { name: 'compare with then' }).click();
  await expect.poll(() => new URL(amrita.url()).pathname, until).toBe(`/d/${documentId}/compare`);
  await amrita.getByTestId('compare-text').locator('ins.compare-run', { hasText: 'A steering body would guide the work between meetings.' }).waitFor();
  expect(await amrita.getByTestId('compare-what').textContent()).toBe('Changes from Before the meeting to the current text');
  await screenshot(amrita, 'notifications-since-last-visit-compare');
});

it('e-mails an invite link from the members page when the server sends e-mail', async () => {
  await chair.goto(`${server.url}/g/${group.id}/members`);
  await chair.getByRole('heading', { name: 'Invite people' }).waitFor();
  const email = chair.getByLabel('E-mail the link to (optional)');
  await email.waitFor();
  await email.fill('new.member@example.org');
  const before = smtp.messages.length;
  await chair.getByRole('button', { name: 'Create invite link' }).click();
  const created = chair.getByTestId('created-invite');
  await created.getByText('E-mailed. You can copy the link too.').waitFor();
  const link = await created.getByRole('textbox', { name: 'Invite link' }).inputValue();
  const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
  expect(message.to).toEqual(['new.member@example.org']);
  expect(message.text).toContain(`/invite/${link.split('/invite/')[1]}`);
  await screenshot(chair, 'notifications-invite-emailed');
  expect(await axeViolations(chair, '.invite-form, [data-testid="created-invite"]')).toEqual([]);
});

/**
 * Accounts, working groups and roles in real browsers, on a fresh server: the first person sets
 * Concord up (administrator account), creates a working group and a draft, and invites an
 * observer with a link; the observer signs up through that link in a second browser, reads the
 * draft live but cannot change it (nothing they type reaches the server). Someone signed in who
 * isn't in the group gets "No access". When the co-chair makes the observer a member, the open
 * editor becomes editable without a reload; when they remove them, the editor closes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createAccessToken, createGroup, createInvite, signUp } from '../helpers/accounts';
import { connectClient, waitForSync, type TestClient } from '../helpers/clients';
import { signedInContext } from './support/accounts';
import { documentText, editorText, launchBrowser, newContext, screenshot, settleCaret } from './support/browser';
import { startServer, type TestServer } from './support/server';

const GROUP = 'MAG Working Group on Strategy';
const CHAIR = { name: 'Anriette Esterhuysen', email: 'anriette@example.org', password: 'a long enough passphrase' };
const OBSERVER = { name: 'Markus Kummer', email: 'markus@example.org', password: 'another long passphrase' };
const until = { timeout: 10_000, interval: 100 };

let server: TestServer;
let browser: Browser;
let chairContext: BrowserContext;
let observerContext: BrowserContext;
let chair: Page;
let observer: Page;
let groupUrl: string;
let documentUrl: string;
let inviteLink: string;
/** A script reading the draft straight from the server, with the co-chair's token. */
let serverCopy: TestClient | undefined;

beforeAll(async () => {
  // One after the other: if the browser fails to launch, afterAll still stops the server.
  server = await startServer();
  browser = await launchBrowser();
  chairContext = await newContext(browser);
  observerContext = await newContext(browser);
  chair = await chairContext.newPage();
  observer = await observerContext.newPage();
});

afterAll(async () => {
  serverCopy?.destroy();
  await browser?.close();
  await server?.stop();
});

it('sets up Concord: the first person creates the administrator account', async () => {
  await chair.goto(server.url);
  // Not signed in: sent to sign-in, which (no account exists yet) leads to the setup.
  await chair.getByRole('heading', { name: 'Welcome to Concord' }).waitFor();
  expect(new URL(chair.url()).pathname).toBe('/signin');
  await screenshot(chair, 'accounts-setup');
  await chair.getByRole('link', { name: 'Create the administrator account' }).click();
  await chair.getByRole('heading', { name: 'Create the administrator account' }).waitFor();

  // Rules are shown, and broken ones explained next to the field.
  await chair.getByLabel('Your name').fill(CHAIR.name);
  await chair.getByLabel('Email').fill('not-an-email');
  await chair.getByLabel('Password', { exact: true }).fill('short');
  await chair.getByRole('button', { name: 'Create administrator account' }).click();
  await chair.getByText('Not a valid email address.').waitFor();
  await chair.getByText('Password must be at least 10 characters.').waitFor();
  await screenshot(chair, 'accounts-signup-errors');

  // A long but guessable password: the form says why while it is typed, and refuses it with the same reason.
  await chair.getByLabel('Email').fill(CHAIR.email);
  const password = chair.getByLabel('Password', { exact: true });
  await password.fill('password12');
  const strength = chair.getByTestId('password-strength');
  await strength.filter({ hasText: 'Too easy to guess. This is a commonly used password. Add more words that are less common.' }).waitFor();
  expect(await password.getAttribute('aria-describedby')).toContain(await strength.evaluate((element) => element.closest('p')!.id));
  await screenshot(chair, 'accounts-signup-weak-password');
  await chair.getByRole('button', { name: 'Create administrator account' }).click();
  await chair.getByRole('alert').filter({ hasText: 'This is a commonly used password. Add more words that are less common.' }).waitFor();
  // Their own name with a year is as easy to guess.
  await password.fill('Esterhuysen1960');
  await strength.filter({ hasText: 'There should not be any personal or page related data.' }).waitFor();
  await password.fill(CHAIR.password);
  await strength.filter({ hasText: 'Hard to guess: good.' }).waitFor();

  await chair.getByRole('button', { name: 'Create administrator account' }).click();
  await chair.getByRole('heading', { name: 'You’re not in any working group yet' }).waitFor();
  await screenshot(chair, 'accounts-home-no-groups');

  // The user menu: Account, Administration (an administrator), Sign out.
  await chair.getByRole('button', { name: `Account menu for ${CHAIR.name}` }).click();
  const menu = chair.getByRole('menu');
  expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Account', 'Administration', 'Sign out']);
  await screenshot(chair, 'accounts-user-menu');
  await chair.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
});

it('creates a working group and a draft through the UI, and types in it', async () => {
  await chair.getByRole('button', { name: 'New working group' }).first().click();
  const dialog = chair.getByRole('dialog', { name: 'New working group' });
  await dialog.getByLabel('Name').fill(GROUP);
  await dialog.getByLabel('Description (optional)').fill('Drafts the MAG’s strategy papers for the IGF.');
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await chair.getByRole('heading', { name: GROUP, level: 1, exact: true }).waitFor();
  groupUrl = chair.url();
  expect(new URL(groupUrl).pathname).toMatch(/^\/g\/[A-Za-z0-9_-]{16}$/);
  await chair.getByRole('heading', { name: 'No drafts yet — create the first one' }).waitFor();
  await screenshot(chair, 'accounts-group-empty');

  await chair.getByRole('button', { name: 'New draft' }).click();
  await chair.waitForURL(/\/d\/[A-Za-z0-9_-]{16}$/);
  documentUrl = chair.url();
  await expect.poll(() => chair.evaluate(() => document.activeElement?.getAttribute('aria-label')), until).toBe('Document title');
  // Under load the editor can still be starting: type only once it is editable, and into it.
  await expect.poll(() => editorText(chair).getAttribute('contenteditable'), until).toBe('true');
  await chair.keyboard.type('Strategy paper');
  await chair.keyboard.press('Enter');
  await expect.poll(() => chair.evaluate(() => document.activeElement?.getAttribute('aria-label')), until).toBe('Document text');
  await chair.keyboard.type('The co-chair writes the first paragraph.');
  await expect.poll(() => documentText(chair), until).toBe('The co-chair writes the first paragraph.');
  // The header names the group and leads to it.
  expect(await chair.getByRole('link', { name: GROUP }).getAttribute('href')).toBe(new URL(groupUrl).pathname);

  // A script with the co-chair's token sees what the server has.
  const [cookie] = (await chairContext.cookies()).filter((item) => item.name === 'concord_session');
  const token = await createAccessToken(server.url, { cookie: `${cookie.name}=${cookie.value}` });
  serverCopy = connectClient({ collabUrl: `ws://127.0.0.1:${server.port}/collab`, owner: { auth: { token } } }, documentId());
  await waitForSync(serverCopy);
  await expect.poll(() => serverCopy!.text(), until).toBe('The co-chair writes the first paragraph.');
});

it('creates an invite link for an observer', async () => {
  await chair.getByRole('link', { name: GROUP }).click();
  await chair.getByRole('link', { name: /^Members/ }).click();
  await chair.getByRole('heading', { name: 'Invite people' }).waitFor();
  await chair.getByLabel('Role', { exact: true }).selectOption({ label: 'Observer' });
  await chair.getByLabel('For (optional)').fill(OBSERVER.email);
  await chair.getByRole('button', { name: 'Create invite link' }).click();
  const created = chair.getByTestId('created-invite');
  await created.waitFor();
  inviteLink = await created.getByRole('textbox', { name: 'Invite link' }).inputValue();
  expect(inviteLink).toMatch(new RegExp(`^${server.url}/invite/[^/]+$`));
  expect(await created.textContent()).toContain('Observer');
  // It is listed as pending, with its note.
  await chair.getByTestId('invite-row').filter({ hasText: OBSERVER.email }).waitFor();
  await screenshot(chair, 'accounts-invite-created');
});

it('lets the invited person sign up through the link and join as an observer', async () => {
  await observer.goto(inviteLink);
  const summary = observer.getByTestId('invite-summary');
  await summary.waitFor();
  expect((await summary.textContent())?.replace(/\s+/g, ' ')).toBe(`${CHAIR.name} invited you to join ${GROUP} as Observer.`);
  await screenshot(observer, 'accounts-invite-landing');

  await observer.getByLabel('Your name').fill(OBSERVER.name);
  await observer.getByLabel('Email').fill(OBSERVER.email);
  await observer.getByLabel('Password', { exact: true }).fill(OBSERVER.password);
  await observer.getByRole('button', { name: 'Create account and join' }).click();
  await observer.waitForURL(groupUrl);
  await observer.getByRole('heading', { name: GROUP, level: 1, exact: true }).waitFor();
  // Observers don't start drafts, and can't rename, archive or delete them.
  const row = observer.getByTestId('document-row').filter({ hasText: 'Strategy paper' });
  await row.waitFor();
  expect(await observer.getByRole('button', { name: 'New draft' }).count()).toBe(0);
  expect(await row.getByRole('button').count()).toBe(0);
  await screenshot(observer, 'accounts-observer-group');

  // The link was for one person: it can't be used again.
  const again = await browser.newContext();
  const page = await again.newPage();
  await page.goto(inviteLink);
  await page.getByRole('heading', { name: 'This invite link can’t be used any more' }).waitFor();
  await again.close();
});

it('shows the observer the draft live, read-only, and nothing they type reaches anyone', async () => {
  await observer.getByRole('link', { name: 'Strategy paper' }).click();
  await observer.waitForURL(documentUrl);
  const notice = observer.getByTestId('view-only-notice');
  await notice.waitFor();
  expect(await notice.textContent()).toContain(`View only. You’re an observer in ${GROUP}`);
  await expect.poll(() => documentText(observer), until).toBe('The co-chair writes the first paragraph.');
  expect(await observer.getByRole('toolbar', { name: 'Formatting' }).count()).toBe(0);
  expect(await editorText(observer).getAttribute('contenteditable')).toBe('false');
  expect(await observer.getByRole('textbox', { name: 'Document title' }).getAttribute('readonly')).not.toBeNull();

  // The co-chair keeps writing: the observer sees it as it is typed.
  await chair.goto(documentUrl);
  await editorText(chair).click();
  await settleCaret(chair);
  await chair.keyboard.press('Control+End');
  await chair.keyboard.type(' Typed while the observer reads along.');
  await expect.poll(() => documentText(observer), until).toBe('The co-chair writes the first paragraph. Typed while the observer reads along.');
  await screenshot(observer, 'accounts-observer-editor');

  // The observer tries to type, in the text and in the title: nothing changes, here or anywhere.
  await editorText(observer).click();
  await observer.keyboard.press('End');
  await observer.keyboard.type('OBSERVER TEXT');
  await observer.keyboard.press('Enter');
  await observer.keyboard.press('Control+b');
  await observer.getByRole('textbox', { name: 'Document title' }).click();
  await observer.keyboard.type('Observer title');
  await observer.keyboard.press('Enter');
  await chair.waitForTimeout(800);
  const expected = 'The co-chair writes the first paragraph. Typed while the observer reads along.';
  expect(await documentText(observer)).toBe(expected);
  expect(await documentText(chair)).toBe(expected);
  expect(serverCopy!.text()).toBe(expected);
  expect(await chair.getByRole('textbox', { name: 'Document title' }).inputValue()).toBe('Strategy paper');
  expect(serverCopy!.doc.getMap('meta').get('title')).toBe('Strategy paper');
  // And a reload (from the server and this browser's copy) shows the same.
  await observer.reload();
  await observer.getByTestId('view-only-notice').waitFor();
  await expect.poll(() => documentText(observer), until).toBe(expected);
});

it('shows "No access" to a signed-in person who is not in the group', async () => {
  // Someone in another group only (signed up with an invite to it).
  const [cookie] = (await chairContext.cookies()).filter((item) => item.name === 'concord_session');
  const chairAuth = { cookie: `${cookie.name}=${cookie.value}` };
  const other = await createGroup(server.url, chairAuth, 'Best Practice Forum on Cybersecurity');
  const invite = await createInvite(server.url, chairAuth, other.id, 'member');
  const outsider = await signUp(server.url, { name: 'Nnenna Nwakanma', invite: invite.token });
  const page = await (await signedInContext(browser, server.url, outsider)).newPage();
  await page.goto(documentUrl);
  await page.getByRole('heading', { name: 'No access' }).waitFor();
  expect(await page.getByRole('main').textContent()).toContain('It belongs to a working group you’re not a member of.');
  await screenshot(page, 'accounts-no-access');
  await page.context().close();
});

it('makes the observer’s open editor editable when the co-chair makes them a member, and closes it when they are removed', async () => {
  await chair.goto(`${groupUrl}/members`);
  const role = chair.getByRole('combobox', { name: `Role of ${OBSERVER.name}` });
  await role.waitFor();
  // A co-chair may hand out every role.
  expect(await role.locator('option').allInnerTexts()).toEqual(['Co-chair', 'Member', 'Secretariat', 'Observer']);
  await screenshot(chair, 'accounts-members');
  await role.selectOption({ label: 'Member' });

  // Without a reload: the notice goes, the toolbar comes, and typing now counts.
  await observer.getByTestId('view-only-notice').waitFor({ state: 'detached', timeout: until.timeout });
  await observer.getByRole('toolbar', { name: 'Formatting' }).waitFor();
  await expect.poll(() => editorText(observer).getAttribute('contenteditable'), until).toBe('true');
  await editorText(observer).click();
  await settleCaret(observer);
  await observer.keyboard.press('Control+End');
  await observer.keyboard.type(' Now a member.');
  await expect.poll(() => serverCopy!.text(), until).toBe('The co-chair writes the first paragraph. Typed while the observer reads along. Now a member.');

  // Removed from the group: the open draft says so and closes.
  await chair.getByRole('button', { name: `Remove ${OBSERVER.name} from the group` }).click();
  await chair.getByRole('dialog', { name: `Remove ${OBSERVER.name} from the group?` }).getByRole('button', { name: 'Remove' }).click();
  await observer.getByRole('heading', { name: 'No access' }).waitFor({ timeout: until.timeout });
  await screenshot(observer, 'accounts-removed');
});

function documentId(): string {
  return new URL(documentUrl).pathname.split('/').pop()!;
}

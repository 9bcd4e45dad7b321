/**
 * The rest of accounts in the browser: signing in (wrong password, a `next` that points off the
 * site), the account page (name, password, personal access tokens shown once), what the
 * secretariat may do with members, group settings (rename, delete after typing the name), the
 * administration page (disabling an account signs that person out), and signing out.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { api, TEST_PASSWORD } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { connectionStatus, launchBrowser, newContext, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

const GROUP = 'MAG Working Group on Strategy';
const until = { timeout: 12_000, interval: 100 };

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let secretariat: TestAccount;
let chair: Page;

beforeAll(async () => {
  // One after the other: if the browser fails to launch, afterAll still stops the server.
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango', email: 'chengetai@example.org' }, GROUP);
  secretariat = await joinGroup(server.url, group, 'secretariat', 'Luis Bobo');
  await joinGroup(server.url, group, 'observer', 'Wim Degezelle');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('explains a wrong password, and never follows a `next` off the site', async () => {
  const page = await (await newContext(browser)).newPage();
  await page.goto(`${server.url}/signin?next=${encodeURIComponent('//evil.example/steal')}`);
  await page.getByLabel('Email').fill('chengetai@example.org');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'That email and password don’t match an account.' }).waitFor();
  // Sign-up is by invitation here: the page says so instead of offering a form.
  expect(await page.getByText('You need an invite link from a co-chair of your working group.').count()).toBe(1);
  await screenshot(page, 'account-signin-error');

  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Drafts', exact: true }).waitFor();
  expect(page.url()).toBe(`${server.url}/`);
  chair = page;
});

it('changes the name and the password on the account page', async () => {
  await chair.getByRole('button', { name: 'Account menu for Chengetai Masango' }).click();
  await chair.getByRole('menuitem', { name: 'Account' }).click();
  await chair.getByRole('heading', { name: 'Your account' }).waitFor();

  const name = chair.getByLabel('Name', { exact: true });
  await name.fill('Chengetai M.');
  await chair.getByRole('button', { name: 'Save name' }).click();
  await chair.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await chair.getByRole('button', { name: 'Account menu for Chengetai M.' }).waitFor();

  // A new password that is easy to guess is explained while it is typed.
  await chair.getByLabel('New password').fill('qwertyuiop');
  await chair.getByTestId('password-strength').filter({ hasText: /^Too easy to guess\. This is a (frequently|commonly|heavily) used password\./ }).waitFor();
  await chair.getByLabel('Current password').fill('wrong password!');
  await chair.getByLabel('New password').fill('a brand new passphrase');
  await chair.getByTestId('password-strength').filter({ hasText: 'Hard to guess: good.' }).waitFor();
  await chair.getByRole('button', { name: 'Change password' }).click();
  await chair.getByText('That isn’t your current password.').waitFor();
  await chair.getByLabel('Current password').fill(TEST_PASSWORD);
  await chair.getByRole('button', { name: 'Change password' }).click();
  await chair.getByText('Password changed. You were signed out everywhere else.').waitFor();
  // The old session cookie of this account (from the API sign-up) no longer works.
  expect((await api(server.url, { cookie: group.chair.cookie }, 'GET', '/api/groups')).status).toBe(401);
});

it('creates a personal access token, shows it once with how to use it, and revokes it', async () => {
  // Scopes: reading always, writing by default, administration (offered to an administrator) only when ticked.
  const access = chair.getByRole('group', { name: 'Access' });
  const read = access.getByRole('checkbox', { name: /^Read/ });
  const write = access.getByRole('checkbox', { name: /^Write/ });
  const admin = access.getByRole('checkbox', { name: /^Administration/ });
  expect([await read.isChecked(), await read.isDisabled(), await write.isChecked(), await admin.isChecked()]).toEqual([true, true, true, false]);
  await access.scrollIntoViewIfNeeded();
  await screenshot(chair, 'account-token-scopes');
  await chair.getByLabel('Token name').fill('Meeting notes bot');
  await chair.getByLabel('Expires').selectOption({ label: 'in 30 days' });
  await chair.getByRole('button', { name: 'Create token' }).click();
  const created = chair.getByTestId('created-token');
  await created.waitFor();
  const token = await created.getByRole('textbox', { name: 'New access token' }).inputValue();
  expect(await created.textContent()).toContain('you won’t see it again');
  expect(await created.locator('pre').textContent()).toBe(`Authorization: Bearer ${token}`);
  await created.scrollIntoViewIfNeeded();
  await screenshot(chair, 'account-token-created');
  expect((await api(server.url, { token }, 'GET', '/api/groups')).status).toBe(200);
  // An administrator's token without the admin scope cannot administer accounts.
  expect((await api(server.url, { token }, 'GET', '/api/admin/users')).status).toBe(403);

  await created.getByRole('button', { name: 'Done' }).click();
  expect(await chair.getByTestId('created-token').count()).toBe(0); // not shown again
  const row = chair.getByTestId('token-row').filter({ hasText: 'Meeting notes bot' });
  await row.waitFor();
  expect(await row.getByTestId('token-scopes').textContent()).toBe('Can read and write');

  // Ticked explicitly, the admin scope lets a script administer accounts.
  await chair.getByLabel('Token name').fill('Account sync');
  await admin.check();
  await chair.getByRole('button', { name: 'Create token' }).click();
  const adminToken = await chair.getByTestId('created-token').getByRole('textbox', { name: 'New access token' }).inputValue();
  expect((await api(server.url, { token: adminToken }, 'GET', '/api/admin/users')).status).toBe(200);
  await chair.getByTestId('created-token').getByRole('button', { name: 'Done' }).click();
  const adminRow = chair.getByTestId('token-row').filter({ hasText: 'Account sync' });
  expect(await adminRow.getByTestId('token-scopes').textContent()).toBe('Can read, write and administer accounts');
  // The form is back to its defaults.
  expect(await admin.isChecked()).toBe(false);
  await adminRow.getByRole('button', { name: 'Revoke token Account sync' }).click();
  await chair.getByRole('dialog', { name: 'Revoke “Account sync”?' }).getByRole('button', { name: 'Revoke token' }).click();
  await adminRow.waitFor({ state: 'detached' });
  await row.getByRole('button', { name: 'Revoke token Meeting notes bot' }).click();
  await chair.getByRole('dialog', { name: 'Revoke “Meeting notes bot”?' }).getByRole('button', { name: 'Revoke token' }).click();
  await row.waitFor({ state: 'detached' });
  expect((await api(server.url, { token }, 'GET', '/api/groups')).status).toBe(401);
});

it('offers the secretariat only the roles it may hand out, and nothing over co-chairs', async () => {
  const page = await (await signedInContext(browser, server.url, secretariat)).newPage();
  await page.goto(`${server.url}/g/${group.id}/members`);
  const observerRole = page.getByRole('combobox', { name: 'Role of Wim Degezelle' });
  await observerRole.waitFor();
  expect(await observerRole.locator('option').allInnerTexts()).toEqual(['Member', 'Secretariat', 'Observer']);
  // The co-chair's row: a label, no role menu, no Remove.
  const chairRow = page.getByTestId('member-row').filter({ hasText: 'Chengetai M.' });
  expect(await chairRow.getByRole('combobox').count()).toBe(0);
  expect(await chairRow.getByRole('button').count()).toBe(0);
  expect(await page.getByLabel('Role', { exact: true }).locator('option').allInnerTexts()).toEqual(['Member', 'Secretariat', 'Observer']);
  await screenshot(page, 'account-secretariat-members');
  // The secretariat can't delete the group.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Name and description' }).waitFor();
  expect(await page.getByRole('button', { name: 'Delete group…' }).count()).toBe(0);
  await page.context().close();
});

it('renames a group, and deletes one only after its name is typed', async () => {
  await chair.goto(`${server.url}/g/${group.id}/settings`);
  await chair.getByRole('textbox', { name: 'Description' }).fill('Strategy papers for the IGF.');
  await chair.getByRole('button', { name: 'Save' }).click();
  await chair.getByText('Strategy papers for the IGF.', { exact: true }).first().waitFor();

  // A throwaway group, deleted for good.
  await chair.getByRole('button', { name: 'New working group' }).click();
  const dialog = chair.getByRole('dialog', { name: 'New working group' });
  await dialog.getByLabel('Name').fill('Temporary group');
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await chair.getByRole('heading', { name: 'Temporary group', level: 1 }).waitFor();
  await chair.getByRole('link', { name: 'Settings' }).click();
  await chair.getByRole('button', { name: 'Delete group…' }).click();
  const confirm = chair.getByRole('dialog', { name: 'Delete Temporary group?' });
  const deleteButton = confirm.getByRole('button', { name: 'Delete group and its drafts' });
  expect(await deleteButton.isDisabled()).toBe(true);
  await confirm.getByRole('textbox').fill('Temporary group');
  await screenshot(chair, 'account-delete-group');
  await deleteButton.click();
  await chair.getByRole('heading', { name: 'Drafts', exact: true }).waitFor();
  await expect.poll(() => chair.getByRole('navigation', { name: 'Working groups' }).textContent(), until).not.toContain('Temporary group');
});

it('lets the administrator disable an account, which signs that person out', async () => {
  // Luis has the home page open in one tab and a draft in another.
  const luisContext = await signedInContext(browser, server.url, secretariat);
  const luis = await luisContext.newPage();
  await luis.goto(server.url);
  await luis.getByRole('heading', { name: 'Drafts', exact: true }).waitFor();
  const draftId = await createDocument(server.url, { cookie: secretariat.cookie }, group.id, 'Secretariat notes');
  const luisDraft = await luisContext.newPage();
  await luisDraft.goto(`${server.url}/d/${draftId}`);
  await expect.poll(() => connectionStatus(luisDraft).textContent(), until).toBe('Connected');

  await chair.getByRole('button', { name: /^Account menu for/ }).click();
  await chair.getByRole('menuitem', { name: 'Administration' }).click();
  await chair.getByRole('heading', { name: 'Administration' }).waitFor();
  await expect.poll(() => chair.getByTestId('admin-user-row').count(), until).toBe(3);
  await chair.getByRole('button', { name: 'Disable the account of Luis Bobo' }).click();
  await chair.getByRole('dialog', { name: 'Disable Luis Bobo’s account?' }).getByRole('button', { name: 'Disable account' }).click();
  await chair.getByTestId('admin-user-row').filter({ hasText: 'Luis Bobo' }).getByText('Disabled').waitFor();
  await screenshot(chair, 'account-admin');

  // The open draft is closed by the server (4401) and asks to sign in, to come back to it after.
  await luisDraft.getByRole('heading', { name: 'Sign in to Concord' }).waitFor({ timeout: until.timeout });
  expect(new URL(luisDraft.url()).searchParams.get('next')).toBe(`/d/${draftId}`);
  // The home page notices at its next request (the list refreshes every few seconds).
  await luis.getByRole('heading', { name: 'Sign in to Concord' }).waitFor({ timeout: until.timeout });
  await luis.getByLabel('Email').fill(secretariat.user.email);
  await luis.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await luis.getByRole('button', { name: 'Sign in' }).click();
  await luis.getByRole('alert').filter({ hasText: 'This account has been disabled.' }).waitFor();
  await luisContext.close();
});

it('signs out from the user menu; the app then asks to sign in again', async () => {
  await chair.getByRole('button', { name: /^Account menu for/ }).click();
  await chair.getByRole('menuitem', { name: 'Sign out' }).click();
  await chair.getByRole('heading', { name: 'Sign in to Concord' }).waitFor();
  await chair.goto(`${server.url}/account`);
  await chair.getByRole('heading', { name: 'Sign in to Concord' }).waitFor();
  expect(new URL(chair.url()).searchParams.get('next')).toBe('/account');
});

/**
 * Password reset links in the browser: the administrator creates one on the administration page
 * (after a confirmation that explains it) and sees it once; the person opens it, chooses a new
 * password and is signed in. The old password stops working, and the link works only once. A link
 * opened where someone else is signed in switches this browser to its person.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { api, apiOk, TEST_PASSWORD } from '../helpers/accounts';
import { joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { launchBrowser, newContext, screenshot } from './support/browser';
import { startServer, type TestServer } from './support/server';

const NEW_PASSWORD = 'a fresh start for the MAG';
const until = { timeout: 12_000, interval: 100 };

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let ama: TestAccount;
let admin: Page;
let link: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Chengetai Masango', email: 'chengetai@example.org' });
  ama = await joinGroup(server.url, group, 'member', 'Ama Mensah');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function signIn(email: string, password: string) {
  return api(server.url, undefined, 'POST', '/api/auth/signin', { email, password });
}

it('lets the administrator create a reset link, explained first and shown once', async () => {
  admin = await (await signedInContext(browser, server.url, group.chair)).newPage();
  await admin.goto(`${server.url}/admin`);
  await expect.poll(() => admin.getByTestId('admin-user-row').count(), until).toBe(2);

  await admin.getByRole('button', { name: 'Create a password reset link for Ama Mensah' }).click();
  const confirm = admin.getByRole('dialog', { name: 'Create a password reset link for Ama Mensah?' });
  expect(await confirm.textContent()).toContain('It works once, for 24 hours');
  await screenshot(admin, 'password-reset-confirm');
  await confirm.getByRole('button', { name: 'Create link' }).click();

  const shown = admin.getByRole('dialog', { name: 'Password reset link for Ama Mensah' });
  await shown.waitFor();
  link = await shown.getByRole('textbox', { name: 'Password reset link' }).inputValue();
  expect(link).toMatch(new RegExp(`^${server.url}/reset/[^/]+$`));
  expect(await shown.textContent()).toContain('Send it to them yourself; it works once, for 24 hours.');
  expect(await shown.getByRole('button', { name: 'Copy link: Password reset link' }).count()).toBe(1);
  await screenshot(admin, 'password-reset-link');
  await shown.getByRole('button', { name: 'Done' }).click();
  await shown.waitFor({ state: 'hidden' });
  // The old password still works until the link is used.
  expect((await signIn(ama.user.email, TEST_PASSWORD)).status).toBe(200);
});

it('offers no reset link for a disabled account', async () => {
  const wim = await joinGroup(server.url, group, 'observer', 'Wim Degezelle');
  await apiOk(server.url, { cookie: group.chair.cookie }, 'PATCH', `/api/admin/users/${wim.user.id}`, { disabled: true });
  await admin.reload();
  const row = admin.getByTestId('admin-user-row').filter({ hasText: 'Wim Degezelle' });
  await row.getByText('Disabled').waitFor();
  expect(await row.getByRole('button', { name: /password reset link/ }).count()).toBe(0);
  expect(await admin.getByRole('button', { name: 'Create a password reset link for Ama Mensah' }).count()).toBe(1);
});

it('sets a new password from the link and signs the person in; the link then is refused', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  expect(await page.getByTestId('reset-for').textContent()).toBe(`Choose a new password for Ama Mensah (${ama.user.email}).`);

  const field = page.getByLabel('New password');
  await field.fill('too short');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.getByText('at least 10 characters').first().waitFor();
  await screenshot(page, 'password-reset-form');

  await field.fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.getByRole('heading', { name: 'Drafts', exact: true }).waitFor();
  expect(page.url()).toBe(`${server.url}/`);
  await page.getByRole('button', { name: 'Account menu for Ama Mensah' }).waitFor();

  // The old password no longer signs in, the new one does; Ama's earlier session has ended.
  expect((await signIn(ama.user.email, TEST_PASSWORD)).status).toBe(401);
  expect((await signIn(ama.user.email, NEW_PASSWORD)).status).toBe(200);
  expect((await api(server.url, { cookie: ama.cookie }, 'GET', '/api/groups')).status).toBe(401);

  // A second time, the link is refused: here (signed in) and in a fresh browser.
  await page.goto(link);
  await page.getByRole('heading', { name: 'This reset link can’t be used any more' }).waitFor();
  await page.getByRole('link', { name: 'Go to Concord' }).waitFor();
  await context.close();

  const fresh = await (await newContext(browser)).newPage();
  await fresh.goto(link);
  await fresh.getByRole('heading', { name: 'This reset link can’t be used any more' }).waitFor();
  await screenshot(fresh, 'password-reset-used');
  await fresh.getByRole('link', { name: 'Go to sign in' }).click();
  await fresh.getByRole('heading', { name: 'Sign in to Concord' }).waitFor();
  await fresh.getByText('Forgot your password? Ask an administrator of this Concord for a reset link.').waitFor();
  await screenshot(fresh, 'password-reset-signin-hint');
  await fresh.context().close();
});

it('switches the browser to the link’s person when someone else is signed in there', async () => {
  const luis = await joinGroup(server.url, group, 'secretariat', 'Luis Bobo');
  const created = await apiOk<{ path: string }>(server.url, { cookie: group.chair.cookie }, 'POST', `/api/admin/users/${luis.user.id}/password-reset`, undefined, 201);

  // Ama's browser: she is signed in (with her new password) and has opened the app.
  const amaSession = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: ama.user.email, password: NEW_PASSWORD });
  const cookie = amaSession.headers.getSetCookie().find((value) => value.startsWith('concord_session='))!.split(';')[0];
  const page = await (await signedInContext(browser, server.url, { cookie })).newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Account menu for Ama Mensah' }).waitFor();
  expect(await page.evaluate(() => localStorage.getItem('concord.device-owner'))).toBe(ama.user.id);

  await page.goto(`${server.url}${created.path}`);
  await page.getByText('Ama Mensah is signed in on this browser.').waitFor();
  await screenshot(page, 'password-reset-someone-else');
  await page.getByLabel('New password').fill('Luis chooses a new passphrase');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.getByRole('button', { name: 'Account menu for Luis Bobo' }).waitFor();
  // The store and this device's data now belong to Luis.
  expect(await page.evaluate(() => localStorage.getItem('concord.device-owner'))).toBe(luis.user.id);
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('concord.account'))) ?? 'null')?.id).toBe(luis.user.id);
  const session = await page.evaluate(() => fetch('/api/auth/session').then((response) => response.json()));
  expect(session.user.id).toBe(luis.user.id);
  await page.reload();
  await page.getByRole('button', { name: 'Account menu for Luis Bobo' }).waitFor();
  await page.context().close();
});

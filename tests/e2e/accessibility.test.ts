/**
 * Every page of the app through axe-core in Chromium (issue 17): WCAG 2.1 A/AA plus axe's best
 * practices and experimental rules, and no serious or critical violation on any page, signed out
 * (sign-in, sign-up, an invite, a reset link) and signed in (home, archive, account, admin, the
 * group's tabs, a document with its comments and history, a version, compare, the report).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { apiOk, createInvite } from '../helpers/accounts';
import { createDocument, setUpGroup, signedInContext, type TestGroup } from './support/accounts';
import { axeViolations } from './support/axe';
import { editorText, launchBrowser, newContext } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let signedOut: BrowserContext;
let signedIn: BrowserContext;
let documentId: string;
let versionId: string;
let inviteToken: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Concettina Cassa' });
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Contribution to the EGM');
  const version = await apiOk<{ id: string }>(server.url, { cookie: group.chair.cookie }, 'POST', `/api/documents/${documentId}/versions`, { name: '2nd Draft' }, 201);
  versionId = version.id;
  inviteToken = (await createInvite(server.url, { cookie: group.chair.cookie }, group.id, 'member')).token;
  signedOut = await newContext(browser);
  signedIn = await signedInContext(browser, server.url, group.chair);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens `path`, waits for the page's own content, and returns axe's serious and critical findings. */
async function seriousViolations(context: BrowserContext, path: string, ready: (page: Page) => Promise<unknown>) {
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}${path}`);
    await ready(page);
    const violations = await axeViolations(page, 'body', { thorough: true });
    return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  } finally {
    await page.close();
  }
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).first().waitFor();

it.each([
  ['/signin', heading],
  ['/signup', heading],
  ['/invite/INVITE', heading],
  ['/reset/not-a-real-link', heading],
])('signed out, %s has no serious or critical violation', async (path, ready) => {
  expect(await seriousViolations(signedOut, path.replace('INVITE', inviteToken), ready)).toEqual([]);
});

it.each([
  ['/', heading],
  ['/archived', heading],
  ['/account', heading],
  ['/admin', heading],
  ['/g/GROUP', heading],
  ['/g/GROUP/members', heading],
  ['/g/GROUP/settings', heading],
  ['/d/DOC', (page: Page) => editorText(page).waitFor()],
  ['/d/DOC/versions/VERSION', (page: Page) => page.getByText('2nd Draft').first().waitFor()],
  ['/d/DOC/compare?from=VERSION&to=current', (page: Page) => page.locator('.history-view').first().waitFor()],
  ['/d/DOC/report', heading],
])('signed in, %s has no serious or critical violation', async (path, ready) => {
  const address = path.replaceAll('GROUP', group.id).replaceAll('DOC', documentId).replaceAll('VERSION', versionId);
  expect(await seriousViolations(signedIn, address, ready)).toEqual([]);
});

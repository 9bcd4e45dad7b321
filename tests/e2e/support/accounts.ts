/**
 * People for browser tests: accounts made through the real HTTP API (tests/helpers/accounts.ts),
 * and browser profiles signed in as them with their session cookie.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Role } from '../../../shared/api/index';
import { addMember, apiOk, createGroup, signUp, type Auth, type TestAccount } from '../../helpers/accounts';
import { newContext } from './browser';

export type { TestAccount } from '../../helpers/accounts';

/** A browser profile (own IndexedDB, cookies, service worker) signed in as `account`. */
export async function signedInContext(browser: Browser, baseUrl: string, account: { cookie: string }): Promise<BrowserContext> {
  const context = await newContext(browser);
  const separator = account.cookie.indexOf('=');
  await context.addCookies([{ name: account.cookie.slice(0, separator), value: account.cookie.slice(separator + 1), url: baseUrl }]);
  return context;
}

/** A working group: its first co-chair (the installation's administrator, on a fresh server) and its id. */
export interface TestGroup {
  id: string;
  chair: TestAccount;
}

/** On a fresh server: the first account (administrator) and a group it chairs. */
export async function setUpGroup(baseUrl: string, chair: { name: string; email?: string }, groupName = 'MAG Working Group on Strategy'): Promise<TestGroup> {
  const account = await signUp(baseUrl, chair);
  const group = await createGroup(baseUrl, { cookie: account.cookie }, groupName);
  return { id: group.id, chair: account };
}

/** Someone who joined the group through an invite with `role`. */
export function joinGroup(baseUrl: string, group: TestGroup, role: Role, name: string): Promise<TestAccount> {
  return addMember(baseUrl, { cookie: group.chair.cookie }, group.id, role, name);
}

/** Creates a document in a group through the API, as `auth`, and returns its id. */
export async function createDocument(baseUrl: string, auth: Auth, groupId: string, title?: string): Promise<string> {
  const created = await apiOk<{ id: string }>(baseUrl, auth, 'POST', '/api/documents', title ? { groupId, title } : { groupId }, 201);
  return created.id;
}

/** A co-chair and a member of a fresh group, each with a signed-in browser page, and a draft of the group. */
export async function chairAndMemberOnDraft(
  browser: Browser,
  baseUrl: string,
  title: string,
): Promise<{ group: TestGroup; memberAccount: TestAccount; documentId: string; chair: Page; member: Page }> {
  const group = await setUpGroup(baseUrl, { name: 'Chengetai Masango' });
  const memberAccount = await joinGroup(baseUrl, group, 'member', 'Amrita Choudhury');
  const documentId = await createDocument(baseUrl, { cookie: group.chair.cookie }, group.id, title);
  const chair = await (await signedInContext(browser, baseUrl, group.chair)).newPage();
  const member = await (await signedInContext(browser, baseUrl, memberAccount)).newPage();
  return { group, memberAccount, documentId, chair, member };
}

/**
 * Two people in one document, in two separate browser profiles against the real server: one
 * follows the link before signing in (sign-in, then straight back to the document); they type
 * at the same time and each sees the other's text and named caret; then one goes offline, keeps
 * writing, reloads without network (the draft comes back from IndexedDB), comes back online,
 * and both end with the same text.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { TEST_PASSWORD } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount } from './support/accounts';
import { connectionStatus, documentText, editorText, launchBrowser, newContext, openDocument, screenshot, settleCaret } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let adaContext: BrowserContext;
let bobContext: BrowserContext;
let ada: Page;
let bob: Page;
let documentId: string;
let adaAccount: TestAccount;

beforeAll(async () => {
  // One after the other: if the browser fails to launch, afterAll still stops the server.
  server = await startServer();
  browser = await launchBrowser();
  const group = await setUpGroup(server.url, { name: 'Chengetai Masango' });
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Strategy paper');
  // Ada isn't signed in in this browser yet; Bob is.
  adaAccount = await joinGroup(server.url, group, 'member', 'Ada Lovelace');
  const bobAccount = await joinGroup(server.url, group, 'member', 'Bob Kahn');
  adaContext = await newContext(browser);
  bobContext = await signedInContext(browser, server.url, bobAccount);
  ada = await adaContext.newPage();
  bob = await bobContext.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const until = { timeout: 10_000, interval: 100 };

/** Where `viewer` sees the named person's caret: paragraph index and character offset in it. */
function caretSeenBy(viewer: Page, name: string) {
  return viewer.evaluate((person) => {
    const label = Array.from(document.querySelectorAll('.collab-caret__label')).find((element) => element.textContent === person);
    const caret = label?.closest('.collab-caret');
    const paragraph = caret?.closest('p');
    if (!caret || !paragraph) return null;
    const range = document.createRange();
    range.setStart(paragraph, 0);
    range.setEndBefore(caret);
    const before = range.cloneContents();
    before.querySelectorAll('.collab-caret').forEach((other) => other.remove());
    const paragraphs = Array.from(document.querySelectorAll('.document-text p'));
    return { paragraph: paragraphs.indexOf(paragraph), offset: (before.textContent ?? '').length };
  }, name);
}

/** Focuses the editor and moves the caret with a key, waiting for it to land each time. */
async function moveCaret(page: Page, key: string): Promise<void> {
  await editorText(page).click();
  await settleCaret(page);
  await page.keyboard.press(key);
  await settleCaret(page);
}

it('sends a visitor who isn’t signed in to sign in, and from there straight to the document', async () => {
  await ada.goto(`${server.url}/d/${documentId}`);
  await ada.getByRole('heading', { name: 'Sign in to Concord' }).waitFor();
  expect(new URL(ada.url()).pathname).toBe('/signin');
  expect(new URL(ada.url()).searchParams.get('next')).toBe(`/d/${documentId}`);
  await ada.getByRole('button', { name: 'Sign in' }).click();
  await ada.getByRole('alert').first().waitFor(); // empty fields are refused with an explanation
  await ada.getByLabel('Email').fill(adaAccount.user.email);
  await ada.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await ada.getByRole('button', { name: 'Sign in' }).click();
  await editorText(ada).waitFor();
  expect(new URL(ada.url()).pathname).toBe(`/d/${documentId}`);
  await openDocument(bob, server.url, documentId);
  await expect.poll(() => connectionStatus(ada).textContent(), until).toBe('Connected');
  await expect.poll(() => connectionStatus(bob).textContent(), until).toBe('Connected');
  expect(await ada.getByRole('textbox', { name: 'Document title' }).inputValue()).toBe('Strategy paper');
});

it('shows each person the other’s concurrent typing, named caret and presence', async () => {
  await editorText(ada).click();
  await ada.keyboard.type('Ada drafts the introduction.');
  await expect.poll(() => documentText(bob), until).toBe('Ada drafts the introduction.');

  // Bob goes to a new paragraph at the end, Ada to the very start; each sees the other's caret
  // arrive there before both type at the same time.
  await moveCaret(bob, 'Control+End');
  await bob.keyboard.press('Enter');
  await expect.poll(() => caretSeenBy(ada, 'Bob Kahn'), until).toEqual({ paragraph: 1, offset: 0 });
  await ada.keyboard.press('Control+Home');
  await settleCaret(ada);
  await expect.poll(() => caretSeenBy(bob, 'Ada Lovelace'), until).toEqual({ paragraph: 0, offset: 0 });
  await Promise.all([
    ada.keyboard.type('Summary: ', { delay: 25 }),
    bob.keyboard.type('Bob lists the recommendations.', { delay: 25 }),
  ]);
  const expected = 'Summary: Ada drafts the introduction.Bob lists the recommendations.';
  await expect.poll(() => documentText(ada), until).toBe(expected);
  await expect.poll(() => documentText(bob), until).toBe(expected);
  expect(await ada.locator('.document-text p').allTextContents().then((texts) => texts.length)).toBe(2);

  // Remote carets carry the other person's name.
  const bobSeesAda = bob.locator('.collab-caret__label', { hasText: 'Ada Lovelace' });
  const adaSeesBob = ada.locator('.collab-caret__label', { hasText: 'Bob Kahn' });
  await bobSeesAda.waitFor({ state: 'visible' });
  await adaSeesBob.waitFor({ state: 'visible' });

  // Presence in the header lists both.
  const presence = ada.getByRole('button', { name: /2 people here/ });
  await expect.poll(() => presence.textContent(), until).toMatch(/Ada Lovelace \(you\).*Bob Kahn/);

  await screenshot(ada, 'collab-ada-sees-bob');
  await screenshot(bob, 'collab-bob-sees-ada');
});

it('keeps edits made offline, across a reload without network, and merges them when back online', async () => {
  await adaContext.setOffline(true);
  await expect.poll(() => connectionStatus(ada).textContent(), until).toBe('Offline — changes saved on this device');

  await moveCaret(ada, 'Control+End');
  await ada.keyboard.type(' Written offline by Ada.');
  await expect.poll(() => documentText(ada), until).toContain('recommendations. Written offline by Ada.');
  // Meanwhile Bob, still online, edits the first paragraph.
  await moveCaret(bob, 'Control+Home');
  await bob.keyboard.type('Draft. ');

  // Bob can't see Ada's offline words, and Ada can't see Bob's.
  await expect.poll(() => documentText(bob), until).toContain('Draft. Summary:');
  await bob.waitForTimeout(500);
  expect(await documentText(bob)).not.toContain('Written offline');
  expect(await documentText(ada)).not.toContain('Draft.');

  // Reloading without network: the app shell comes from the service worker, the text from IndexedDB.
  await ada.reload();
  await editorText(ada).waitFor();
  await expect.poll(() => documentText(ada), until).toBe('Summary: Ada drafts the introduction.Bob lists the recommendations. Written offline by Ada.');
  await expect.poll(() => connectionStatus(ada).textContent(), until).toBe('Offline — changes saved on this device');
  await screenshot(ada, 'collab-offline-after-reload');

  await adaContext.setOffline(false);
  await expect.poll(() => connectionStatus(ada).textContent(), { ...until, timeout: 15_000 }).toBe('Connected');
  const merged = 'Draft. Summary: Ada drafts the introduction.Bob lists the recommendations. Written offline by Ada.';
  await expect.poll(() => documentText(ada), until).toBe(merged);
  await expect.poll(() => documentText(bob), until).toBe(merged);
  await screenshot(bob, 'collab-merged');
});

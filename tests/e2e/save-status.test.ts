/**
 * The header says "saved" only for what the server stored. With the database refusing writes
 * (simulated by a failing store), typed text shows as "Not saved yet", is not in the store, and
 * closing the tab asks first; once the database is back, the text is stored and the status says so.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { docFromStored, fragmentText } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { signedInContext } from './support/accounts';
import { connectionStatus, editorText, launchBrowser, openDocument, screenshot } from './support/browser';
import { ensureClientBuilt } from './support/server';

let server: TestServer;
let browser: Browser;
let page: Page;
let documentId: string;
/** While true, the store refuses every document change, as a database that is down would. */
let databaseDown = false;

beforeAll(async () => {
  ensureClientBuilt();
  // One after the other: if the browser fails to launch, afterAll still stops the server.
  server = await startTestServer({
    wrapStore: (store) => ({
      ...store,
      async appendUpdate(id, update, attribution) {
        if (databaseDown) throw new Error('database unavailable (simulated)');
        return store.appendUpdate(id, update, attribution);
      },
    }),
  });
  browser = await launchBrowser();
  documentId = await createDocument(server, 'Budget note');
  const context = await signedInContext(browser, server.url, server.owner);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const until = { timeout: 10_000, interval: 100 };

async function storedText(): Promise<string> {
  return fragmentText(docFromStored(await server.store.loadContent(documentId)));
}

const unsavedBanner = () => page.locator('.banner', { hasText: 'Not saved yet' });

/** The status pill's explanation (its tooltip). */
function statusDetail(): Promise<string | null> {
  return page.getByTestId('connection-status').getAttribute('title');
}

it('says the text is saved once the server stored it', async () => {
  await openDocument(page, server.url, documentId);
  await editorText(page).click();
  await page.keyboard.type('Stored right away.');
  await expect.poll(() => storedText(), until).toBe('Stored right away.');
  await expect.poll(() => statusDetail(), until).toMatch(/^All changes are saved/);
  expect(await connectionStatus(page).textContent()).toBe('Connected');
});

it('shows text the database hasn’t taken as not saved, and asks before the tab closes', async () => {
  databaseDown = true;
  await page.keyboard.type(' Typed while the database is down.');
  // A moment of saving first, then the warning, in the pill and in a banner below the toolbar.
  await expect.poll(() => connectionStatus(page).textContent(), until).toBe('Saving…');
  await expect.poll(() => connectionStatus(page).textContent(), until).toBe('Not saved yet');
  expect(await statusDetail()).toMatch(/^The server can’t save changes right now\./);
  expect(await unsavedBanner().textContent()).toMatch(/^Not saved yet\. The server can’t save changes right now\./);
  expect(await storedText()).toBe('Stored right away.');
  await screenshot(page, 'save-status-not-saved');

  const dialogs: string[] = [];
  page.once('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs, until).toEqual(['beforeunload']);
  // Dismissed: the tab stays, with the text.
  expect(page.isClosed()).toBe(false);
});

it('saves the text once the database is back, and then closes without asking', async () => {
  databaseDown = false;
  await expect.poll(() => storedText(), until).toBe('Stored right away. Typed while the database is down.');
  await expect.poll(() => statusDetail(), until).toMatch(/^All changes are saved/);
  expect(await connectionStatus(page).textContent()).toBe('Connected');
  expect(await unsavedBanner().count()).toBe(0);

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed(), until).toBe(true);
  expect(dialogs).toEqual([]);
});

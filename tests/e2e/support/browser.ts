/** Headless Debian Chromium through playwright-core, and helpers to drive the Concord UI. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT } from './server';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts/e2e');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser profile; actions fail after 10 s (with the step that hung) rather than at the test timeout. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(10_000);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The editable document text of the editor page. */
export function editorText(page: Page) {
  return page.getByRole('textbox', { name: 'Document text' });
}

/** Opens a document and waits until its text is editable. */
export async function openDocument(page: Page, baseUrl: string, id: string): Promise<void> {
  await page.goto(`${baseUrl}/d/${id}`);
  await editorText(page).waitFor({ state: 'visible' });
}

/** Pastes HTML into the focused editor through a real paste event (what Ctrl+V delivers). */
export async function pasteHtml(page: Page, html: string, plain = ''): Promise<void> {
  await page.evaluate(
    ({ html: markup, plain: text }) => {
      const target = document.querySelector('.ProseMirror');
      if (!target) throw new Error('no editor');
      const data = new DataTransfer();
      data.setData('text/html', markup);
      data.setData('text/plain', text);
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { html, plain },
  );
}

/** The document text as a reader sees it: the editor's text without remote caret labels. */
export async function documentText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const editor = document.querySelector('.document-text');
    if (!editor) return '';
    const copy = editor.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collab-caret').forEach((caret) => caret.remove());
    return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** The words of the connection status pill in the header. */
export function connectionStatus(page: Page) {
  return page.getByTestId('connection-status').locator('.connection-status__label');
}

/**
 * Waits until the browser has reported a caret move made with the keyboard or mouse to the page.
 * The editor learns of such moves from the asynchronous 'selectionchange' event; a command key
 * pressed before that (which no person can do) would act on the previous caret position.
 */
export async function settleCaret(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 30))));
}

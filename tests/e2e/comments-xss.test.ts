/**
 * Comments are plain text, whatever they contain. Bodies, quotes, reasons and names carrying
 * script and markup (an <img onerror>, a <script>, javascript: links, a markdown link to
 * javascript:, and a member whose name is markup, mentioned with @) are shown as inert text in
 * the panel and on the report: nothing runs when they render or when they are hovered and clicked,
 * no element comes out of them, and the only links are http(s) and mailto ones.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { ThreadView } from '../../shared/api/index';
import { apiOk } from '../helpers/accounts';
import { createDocument, joinGroup, setUpGroup, signedInContext, type TestAccount, type TestGroup } from './support/accounts';
import { documentText, editorText, launchBrowser, openDocument, screenshot } from './support/browser';
import { commentsPanel, selectText, threadCard } from './support/comments';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let group: TestGroup;
let mallory: TestAccount;
let evil: TestAccount;
let chair: Page;
let author: Page;
let documentId: string;

const until = { timeout: 10_000, interval: 100 };
const EVIL_NAME = '<b onmouseover=window.__xss=1>Evil</b>';
const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const JS_URL = 'javascript:window.__xss=1';
const MARKDOWN = '[click](javascript:alert(1))';
const SNEAKY = 'https://www.intgovforum.org/"><img src=x onerror=window.__xss=1>';
const GOOD_LINK = 'https://www.intgovforum.org/en/about';
const MAIL = 'mailto:igf@un.org';
const TEXT = 'Working groups publish their comment-resolution tables with each revised draft.';

/** Any script from a comment would set window.__xss (alert does too, here). */
async function watchForScripts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.alert = () => {
      (window as unknown as { __xss: number }).__xss = 1;
    };
  });
}

const xssValue = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  group = await setUpGroup(server.url, { name: 'Co-chair Carol' });
  mallory = await joinGroup(server.url, group, 'member', 'Mallory');
  evil = await joinGroup(server.url, group, 'member', EVIL_NAME);
  documentId = await createDocument(server.url, { cookie: group.chair.cookie }, group.id, 'Safety review');
  chair = await (await signedInContext(browser, server.url, group.chair)).newPage();
  author = await (await signedInContext(browser, server.url, mallory)).newPage();
  await watchForScripts(chair);
  await watchForScripts(author);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows bodies, mentions, quotes, names and reasons full of markup and script as inert text', async () => {
  await openDocument(chair, server.url, documentId);
  await editorText(chair).click();
  await chair.keyboard.type(TEXT);
  await openDocument(author, server.url, documentId);
  await expect.poll(() => documentText(author), until).toBe(TEXT);

  // Mallory starts a thread through the panel, mentioning the member whose name is markup.
  await selectText(author, 'comment-resolution tables');
  await author.getByRole('button', { name: 'Comment on the selected text' }).click();
  const composer = commentsPanel(author).getByRole('combobox', { name: 'New comment' });
  await composer.pressSequentially(`${IMG} ${SCRIPT} cc @<b`);
  const option = author.getByRole('listbox', { name: 'People to mention' }).getByRole('option');
  await expect.poll(() => option.allInnerTexts(), until).toEqual([expect.stringContaining(EVIL_NAME)]);
  await option.hover();
  await composer.press('Enter');
  await composer.press('Control+Enter');
  await threadCard(author, 'comment-resolution tables').locator('.comment-mention').waitFor();

  // More through the API: replies from Mallory, one from the member with the markup name, a
  // second thread with a crafted quote, and a co-chair's resolution with a crafted reason.
  const threads: ThreadView[] = (await apiOk(server.url, mallory.auth, 'GET', `/api/documents/${documentId}/threads`)).threads;
  const first = threads[0];
  const reply = (as: TestAccount, body: string, mentions: string[] = []) =>
    apiOk(server.url, as.auth, 'POST', `/api/documents/${documentId}/threads/${first.id}/comments`, { body, mentions }, 201);
  await reply(mallory, JS_URL);
  await reply(mallory, MARKDOWN);
  await reply(mallory, `See ${SNEAKY} or ${GOOD_LINK}, or write to ${MAIL}.`);
  await reply(evil, `I am @${EVIL_NAME} and I approve <a href="javascript:window.__xss=1">this</a>`, [evil.user.id]);
  const second: ThreadView = await apiOk(
    server.url,
    mallory.auth,
    'POST',
    `/api/documents/${documentId}/threads`,
    { anchor: first.anchor, quote: `${SCRIPT}${IMG}`, body: `<iframe src="${JS_URL}"></iframe>`, mentions: [] },
    201,
  );
  await apiOk(server.url, group.chair.auth, 'POST', `/api/documents/${documentId}/threads/${second.id}/resolve`, {
    disposition: 'out-of-scope',
    reason: `${IMG} <svg onload=window.__xss=1>`,
  });

  for (const page of [chair, author]) {
    const panel = commentsPanel(page);
    const card = threadCard(page, 'comment-resolution tables');
    await card.getByText('I am @').waitFor();
    await card.getByText(MARKDOWN).waitFor();
    // The resolved thread with the crafted quote and reason: expanded, with its history.
    const resolved = panel.getByRole('article', { name: /^Resolved thread/ });
    await resolved.locator('.thread__summary').click();
    await resolved.locator('.thread__history li').waitFor();

    // The payloads are there, as text.
    const bodies = await card.locator('.comment__body').allTextContents();
    expect(bodies).toEqual([
      `${IMG} ${SCRIPT} cc @${EVIL_NAME} `.trim(),
      JS_URL,
      MARKDOWN,
      `See ${SNEAKY} or ${GOOD_LINK}, or write to ${MAIL}.`,
      `I am @${EVIL_NAME} and I approve <a href="javascript:window.__xss=1">this</a>`,
    ]);
    expect(await card.locator('.comment__author').allTextContents()).toContain(EVIL_NAME);
    expect(await card.locator('.comment-mention').allTextContents()).toEqual([`@${EVIL_NAME}`, `@${EVIL_NAME}`]);
    expect(await resolved.locator('.thread__quote').textContent()).toBe(`${SCRIPT}${IMG}`);
    expect(await resolved.locator('.thread__resolution').textContent()).toContain(`${IMG} <svg onload=window.__xss=1>`);

    // No element came out of them, and the only links are the real addresses.
    expect(await panel.locator('img, script, b, iframe, object, embed, svg image, [onerror], [onload], [onmouseover]').count()).toBe(0);
    expect(await panel.locator('.comment__body svg, .thread__quote *, .thread__resolution svg').count()).toBe(0);
    const links = await panel.locator('.comment__body a').evaluateAll((anchors) =>
      anchors.map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel'), text: a.textContent })),
    );
    expect(links).toEqual([
      { href: 'https://www.intgovforum.org/', target: '_blank', rel: 'noopener noreferrer', text: 'https://www.intgovforum.org/' },
      { href: GOOD_LINK, target: '_blank', rel: 'noopener noreferrer', text: GOOD_LINK },
      { href: MAIL, target: '_blank', rel: 'noopener noreferrer', text: MAIL },
    ]);
    for (const href of await page.locator('.comments-panel a[href]').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''))) {
      expect(href).toMatch(/^(https?:|mailto:|\/)/);
    }

    // Hovering and clicking everything they show changes nothing.
    for (const target of await panel.locator('.comment__body, .comment-mention, .comment__author, .thread__quote, .thread__resolution').all()) {
      await target.hover();
      // Wrapped inline text has no single point to click: the events go to the element itself.
      for (const type of ['mouseover', 'mouseenter', 'mousedown', 'mouseup', 'click', 'focus']) await target.dispatchEvent(type);
    }
    await card.locator('.comment__body').first().click({ position: { x: 4, y: 4 } });
    expect(await xssValue(page)).toBeUndefined();
  }
  await screenshot(chair, 'comments-xss-panel');
  expect(await chair.context().pages()).toHaveLength(1); // no link was followed
});

it('shows the same payloads inertly on the resolution report', async () => {
  await chair.goto(`${server.url}/d/${documentId}/report`);
  await chair.getByRole('heading', { name: 'Comment resolution report' }).waitFor();
  const table = chair.locator('.report-table');
  await table.getByText(MARKDOWN).waitFor();
  expect(await table.textContent()).toContain(`${SCRIPT}${IMG}`);
  expect(await table.textContent()).toContain(`I am @${EVIL_NAME}`);
  expect(await table.locator('img, script, b, iframe, object, embed, svg, [onerror], [onload], [onmouseover]').count()).toBe(0);
  for (const href of await table.locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''))) {
    expect(href).toMatch(/^(https?:|mailto:)/);
  }
  for (const cell of await table.locator('td').all()) await cell.hover();
  expect(await xssValue(chair)).toBeUndefined();
  await screenshot(chair, 'comments-xss-report');
});

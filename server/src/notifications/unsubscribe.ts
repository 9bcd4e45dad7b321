import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Store } from '../store/index';

const SECRET_NAME = 'unsubscribe';

/**
 * Signs and checks the links in every message that stop a person's e-mail without signing in:
 * `<userId>.<HMAC-SHA256 of it>` with the installation's secret (made once, kept in the store, so
 * every process and every restart signs alike).
 */
export class UnsubscribeLinks {
  private key: Promise<Buffer> | null = null;

  constructor(private readonly store: Store) {}

  private secret(): Promise<Buffer> {
    this.key ??= this.store.serverSecret(SECRET_NAME, randomBytes(32).toString('base64url')).then(
      (value) => Buffer.from(value, 'base64url'),
      (error: unknown) => {
        this.key = null; // try again next time
        throw error;
      },
    );
    return this.key;
  }

  private static mac(key: Buffer, userId: string): Buffer {
    return createHmac('sha256', key).update(`unsubscribe:${userId}`).digest();
  }

  async tokenFor(userId: string): Promise<string> {
    return `${userId}.${UnsubscribeLinks.mac(await this.secret(), userId).toString('base64url')}`;
  }

  /** The person a token was made for, or null for anything else. */
  async userOf(token: string): Promise<string | null> {
    const match = /^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const expected = UnsubscribeLinks.mac(await this.secret(), match[1]);
    const given = Buffer.from(match[2], 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? match[1] : null;
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Concord</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #1a5fb4;background:#1a5fb4;color:#fff;cursor:pointer}a{color:#1a5fb4}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/**
 * /unsubscribe/:token, outside /api and without sign-in: GET shows what the link does and a
 * button (mail scanners that open links change nothing); POST (the button, or a mail client's
 * one-click `List-Unsubscribe-Post`) stops every e-mail to the person.
 */
export function unsubscribeRoutes({ store, links, log }: { store: Store; links: UnsubscribeLinks; log: Logger }): Router {
  const router = Router();
  const invalid = (response: express.Response) =>
    response.status(404).type('html').send(page('This link does not work', '<p>The unsubscribe link is not valid. You can change your e-mail settings in your account page after signing in.</p>'));

  router.get('/:token', async (request, response) => {
    const userId = await links.userOf(request.params.token);
    const user = userId && (await store.getUser(userId));
    if (!user) return invalid(response);
    const settings = await store.getNotificationSettings(user.id);
    response.type('html').send(
      page(
        'Stop e-mail from Concord',
        settings.emailOff
          ? `<p>E-mail to <strong>${escapeHtml(user.email)}</strong> is already stopped. Notifications stay in the app's inbox.</p>`
          : `<p>Concord will send no more e-mail to <strong>${escapeHtml(user.email)}</strong>: no mentions, assignments or digests. Notifications stay in the app's inbox.</p>
<form method="post"><button type="submit">Stop all e-mail</button></form>`,
      ),
    );
  });

  router.post('/:token', express.urlencoded({ extended: false, limit: 1024 }), async (request, response) => {
    const userId = await links.userOf(request.params.token);
    const user = userId && (await store.getUser(userId));
    if (!user) return invalid(response);
    await store.updateNotificationSettings(user.id, { emailOff: true });
    log.info({ userId: user.id }, 'e-mail stopped from an unsubscribe link');
    response
      .type('html')
      .send(page('E-mail stopped', `<p>Concord will send no more e-mail to <strong>${escapeHtml(user.email)}</strong>. You can turn it on again in your account settings.</p>`));
  });
  return router;
}

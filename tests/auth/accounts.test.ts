/**
 * Accounts through the HTTP API: sign-up (first account = administrator, then invite-only),
 * password storage, session cookies, rate-limited sign-in, personal access tokens, and the
 * administrator disabling an account.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, api, apiOk, sessionCookieOf, TEST_PASSWORD, type TestAccount } from '../helpers/accounts';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';

describe('a fresh installation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('made its first account the administrator, and refuses further sign-ups without an invite', async () => {
    expect(server.owner.user.isAdmin).toBe(true);
    const session = await apiOk(server.url, undefined, 'GET', '/api/auth/session');
    expect(session).toMatchObject({ user: null, setupRequired: false, openSignup: false });
    const refused = await api(server.url, undefined, 'POST', '/api/auth/signup', { email: 'late@example.org', name: 'Late', password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('signup_closed');
    // With an invite, the second account is an ordinary one.
    const invited = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member');
    expect(invited.user.isAdmin).toBe(false);
  });

  it('stores passwords as scrypt hashes, never as given', async () => {
    const db = new Database(join(server.dataDir, 'concord.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]+\$[\w-]{43}$/);
        expect(row.password_hash).not.toContain(TEST_PASSWORD);
      }
      // Sessions and tokens are kept as hashes too: the cookie's secret is not in the database.
      const secret = server.owner.cookie.split('=')[1];
      const sessions = db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
      expect(sessions.some((row) => row.id_hash === secret)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('signs in with an HttpOnly, SameSite session cookie, and signs out', async () => {
    const response = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: 'OWNER@example.org ', password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body.user.email).toBe('owner@example.org');
    const setCookie = response.headers.getSetCookie()[0];
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = sessionCookieOf(response.headers);
    expect((await apiOk(server.url, { cookie }, 'GET', '/api/auth/session')).user.id).toBe(server.owner.user.id);
    expect((await api(server.url, { cookie }, 'POST', '/api/auth/signout')).status).toBe(204);
    expect((await apiOk(server.url, { cookie }, 'GET', '/api/auth/session')).user).toBeNull();
    expect((await api(server.url, { cookie }, 'GET', '/api/groups')).status).toBe(401);
  });

  it('keeps a session that is used alive: after a day, a request renews it for 30 days, cookie included', async () => {
    const signIn = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: 'owner@example.org', password: TEST_PASSWORD });
    const cookie = sessionCookieOf(signIn.headers);
    const fresh = await api(server.url, { cookie }, 'GET', '/api/groups');
    expect(fresh.headers.getSetCookie()).toEqual([]);
    // Ten days later (moved in the database, which is where the server reads expiry from).
    const db = new Database(join(server.dataDir, 'concord.sqlite'));
    db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() + 20 * 24 * 3600_000);
    db.close();
    const renewed = await api(server.url, { cookie }, 'GET', '/api/groups');
    expect(renewed.status).toBe(200);
    const setCookie = renewed.headers.getSetCookie().find((value) => value.startsWith('concord_session='));
    expect(setCookie).toContain(cookie);
    expect(setCookie).toMatch(/Max-Age=2592000/);
  });

  it('rejects bad sign-up input with 400 naming each field', async () => {
    const response = await api(server.url, undefined, 'POST', '/api/auth/signup', { email: 'not-an-email', name: '', password: 'short' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((field: { path: string }) => field.path).sort()).toEqual(['email', 'name', 'password']);
    const taken = await api(server.url, undefined, 'POST', '/api/auth/signup', {
      email: 'owner@example.org',
      name: 'Impostor',
      password: TEST_PASSWORD,
      invite: (await apiOk(server.url, server.owner.auth, 'POST', `/api/groups/${server.owner.groupId}/invites`, { role: 'member' }, 201)).token,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');
  });

  it('limits sign-in attempts: after 5 wrong passwords from one address even the right one waits there', async () => {
    const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member');
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: `guess ${attempt}` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');
    }
    const limited = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not locked by it.
    expect((await api(server.url, undefined, 'POST', '/api/auth/signin', { email: 'owner@example.org', password: TEST_PASSWORD })).status).toBe(200);
  });

  it('refuses a state-changing request sent from another site\u2019s page', async () => {
    const response = await fetch(`${server.url}/api/groups`, {
      method: 'POST',
      headers: { cookie: server.owner.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Planted group' }),
    });
    expect(response.status).toBe(403);
    const groups = await apiOk(server.url, server.owner.auth, 'GET', '/api/groups');
    expect(groups.groups.map((group: { name: string }) => group.name)).not.toContain('Planted group');
  });
});

describe('personal access tokens', () => {
  let server: TestServer;
  let person: TestAccount;
  beforeAll(async () => {
    server = await startTestServer();
    person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Script author');
  });
  afterAll(() => server.stop());

  it('work as Authorization: Bearer with the owner\u2019s rights, are listed without the secret, and stop when revoked', async () => {
    const created = await apiOk(server.url, { cookie: person.cookie }, 'POST', '/api/tokens', { name: 'minutes bot', expiresInDays: 30 }, 201);
    expect(created.token).toMatch(/^cpat_/);
    const asBot = { token: created.token };
    const groups = await apiOk(server.url, asBot, 'GET', '/api/groups');
    expect(groups.groups).toEqual([expect.objectContaining({ id: server.owner.groupId, role: 'member' })]);
    const listed = await apiOk(server.url, { cookie: person.cookie }, 'GET', '/api/tokens');
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.tokens.find((token: { id: string }) => token.id === created.id)).toMatchObject({ name: 'minutes bot', prefix: created.token.slice(0, 11) });
    // A token cannot mint more tokens.
    expect((await api(server.url, asBot, 'POST', '/api/tokens', { name: 'more', expiresInDays: null })).status).toBe(403);

    expect((await api(server.url, { cookie: person.cookie }, 'DELETE', `/api/tokens/${created.id}`)).status).toBe(204);
    expect((await api(server.url, asBot, 'GET', '/api/groups')).status).toBe(401);
    expect((await api(server.url, { token: 'cpat_not-a-real-token' }, 'GET', '/api/groups')).status).toBe(401);
    expect((await api(server.url, { token: 'garbage' }, 'GET', '/api/groups')).status).toBe(401);
  });
});

describe('administration', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dataDir: tempDataDir() });
  });
  afterAll(() => server.stop());

  it('an administrator disables an account: its sessions and tokens stop working and it cannot sign in', async () => {
    const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Departed');
    expect((await api(server.url, person.auth, 'GET', '/api/admin/users')).status).toBe(403);
    const users = await apiOk(server.url, { cookie: server.owner.cookie }, 'GET', '/api/admin/users');
    expect(users.users.map((user: { name: string }) => user.name)).toEqual(['Owner', 'Departed']);

    const disabled = await apiOk(server.url, { cookie: server.owner.cookie }, 'PATCH', `/api/admin/users/${person.user.id}`, { disabled: true });
    expect(disabled.disabled).toBe(true);
    expect((await api(server.url, { cookie: person.cookie }, 'GET', '/api/groups')).status).toBe(401);
    expect((await api(server.url, person.auth, 'GET', '/api/groups')).status).toBe(401);
    const signIn = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: TEST_PASSWORD });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.code).toBe('account_disabled');
  });

  it('keeps at least one administrator', async () => {
    const response = await api(server.url, { cookie: server.owner.cookie }, 'PATCH', `/api/admin/users/${server.owner.user.id}`, { isAdmin: false });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('last_admin');
    expect((await apiOk(server.url, server.owner.auth, 'GET', '/api/auth/me')).user.isAdmin).toBe(true);
  });
});

describe('documents from before accounts existed', () => {
  it('are adopted into a group of the first account, so they stay reachable', async () => {
    const dataDir = tempDataDir();
    // An installation of the previous version: documents without a group.
    const db = new Database(join(dataDir, 'concord.sqlite'));
    db.exec(`
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
      CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, archived_at INTEGER);
      CREATE INDEX documents_updated_at ON documents (updated_at DESC);
      CREATE TABLE document_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX document_updates_doc ON document_updates (doc_id, seq);
      CREATE TABLE document_snapshots (doc_id TEXT PRIMARY KEY, data BLOB NOT NULL, upto_seq INTEGER NOT NULL);
      INSERT INTO schema_migrations VALUES (1, 0);
      INSERT INTO documents VALUES ('OldDraftOldDraft', 'Response to the Options Paper', 0, 0, NULL);
    `);
    db.close();
    const server = await startTestServer({ dataDir });
    try {
      const documents = await apiOk(server.url, server.owner.auth, 'GET', '/api/documents');
      expect(documents.documents).toEqual([expect.objectContaining({ id: 'OldDraftOldDraft', groupName: 'Earlier drafts', role: 'co-chair' })]);
    } finally {
      await server.stop();
    }
  });
});

describe('a forgotten password', () => {
  it('is replaced through a single-use link from an administrator, which signs the person out elsewhere', async () => {
    const server = await startTestServer();
    try {
      const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Forgetful');
      expect((await api(server.url, person.auth, 'POST', `/api/admin/users/${person.user.id}/password-reset`)).status).toBe(403);
      const reset = await apiOk(server.url, { cookie: server.owner.cookie }, 'POST', `/api/admin/users/${person.user.id}/password-reset`, undefined, 201);
      const token = reset.path.replace('/reset/', '');
      expect(await apiOk(server.url, undefined, 'GET', `/api/auth/reset/${token}`)).toMatchObject({ name: 'Forgetful', email: person.user.email });
      expect((await api(server.url, undefined, 'POST', `/api/auth/reset/${token}`, { newPassword: 'short' })).status).toBe(400);

      const done = await api(server.url, undefined, 'POST', `/api/auth/reset/${token}`, { newPassword: 'a brand new passphrase' });
      expect(done.status).toBe(200);
      const cookie = sessionCookieOf(done.headers);
      expect((await apiOk(server.url, { cookie }, 'GET', '/api/auth/me')).user.id).toBe(person.user.id);
      // The old session is over, the old password too; the link works once.
      expect((await api(server.url, { cookie: person.cookie }, 'GET', '/api/groups')).status).toBe(401);
      expect((await api(server.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: TEST_PASSWORD })).status).toBe(401);
      expect((await api(server.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: 'a brand new passphrase' })).status).toBe(200);
      expect((await api(server.url, undefined, 'POST', `/api/auth/reset/${token}`, { newPassword: 'yet another passphrase' })).status).toBe(410);

      // A link used in a browser where someone else is signed in ends that other session there.
      const second = await apiOk(server.url, { cookie: server.owner.cookie }, 'POST', `/api/admin/users/${person.user.id}/password-reset`, undefined, 201);
      const bystander = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Bystander');
      const handedOver = await api(server.url, { cookie: bystander.cookie }, 'POST', `/api/auth/reset/${second.path.replace('/reset/', '')}`, { newPassword: 'the third passphrase' });
      expect(handedOver.status).toBe(200);
      expect((await api(server.url, { cookie: bystander.cookie }, 'GET', '/api/groups')).status).toBe(401);
      expect((await api(server.url, undefined, 'GET', `/api/auth/reset/${token}`)).status).toBe(410);
    } finally {
      await server.stop();
    }
  });
});

/**
 * Accounts under pressure (issue 13): one invite admits one account however many sign up with it
 * at once; a guesser is slowed down per account and address without locking the owner out; new
 * passwords must be hard to guess (zxcvbn score ≥ 3), and the refusal says why; and personal
 * access tokens carry scopes, so a read token changes nothing and only an admin-scoped token (or
 * a browser session) may administer accounts.
 */
import { fc, it as itProp } from '@fast-check/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPasswordJudge, PASSWORD_MIN_SCORE } from '../../shared/api/index';
import { addMember, api, apiOk, createInvite, sessionCookieOf, TEST_PASSWORD, type Auth } from '../helpers/accounts';
import { appendParagraph, connectClient, docFromStored, fragmentText, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  // Behind a (loopback) proxy, so each request can say which address it comes from.
  server = await startTestServer({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

const ownerSession = (): Auth => ({ cookie: server.owner.cookie });
let emailCounter = 0;
const freshEmail = () => `hardening${++emailCounter}-${Date.now()}@example.org`;

/** A sign-in as a browser at `address` would send it (through the proxy). */
async function signInFrom(address: string, email: string, password: string): Promise<{ status: number; retryAfter: number | null; code?: string }> {
  const response = await fetch(`${server.url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  const retryAfter = response.headers.get('retry-after');
  return { status: response.status, retryAfter: retryAfter === null ? null : Number(retryAfter), code: body.error?.code };
}

describe('an invite link', () => {
  it('admits exactly one of ten people signing up with it at once; the others are told it is used', async () => {
    const invite = await createInvite(server.url, server.owner.auth, server.owner.groupId, 'member');
    const usersBefore = (await apiOk(server.url, ownerSession(), 'GET', '/api/admin/users')).users.length;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(server.url, undefined, 'POST', '/api/auth/signup', { email: freshEmail(), name: `Racer ${i}`, password: TEST_PASSWORD, invite: invite.token }),
      ),
    );
    expect(results.map((result) => result.status).sort()).toEqual([201, ...Array<number>(9).fill(410)]);
    expect(new Set(results.filter((result) => result.status === 410).map((result) => result.body.error.code))).toEqual(new Set(['invite_used']));
    expect((await apiOk(server.url, ownerSession(), 'GET', '/api/admin/users')).users.length).toBe(usersBefore + 1);
    const winner = results.find((result) => result.status === 201)!.body.user;
    const members = (await apiOk(server.url, server.owner.auth, 'GET', `/api/groups/${server.owner.groupId}`)).members;
    expect(members.filter((member: { userId: string }) => member.userId === winner.id)).toEqual([expect.objectContaining({ role: 'member' })]);
  });
});

describe('signing in', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('slows a guesser down per account and address with growing waits, while the owner signs in from elsewhere', async () => {
    const owner = await addMember(server.url, server.owner.auth, server.owner.groupId, 'co-chair', 'Co-chair before a meeting');
    const email = owner.user.email;
    const attacker = '203.0.113.66';
    const home = '198.51.100.7';
    // The clock stands still unless the test moves it: waits are then exact, and nothing sleeps.
    vi.useFakeTimers({ toFake: ['Date'] });

    for (let attempt = 1; attempt <= 5; attempt++) expect((await signInFrom(attacker, email, `guess number ${attempt}`)).status).toBe(401);
    // Now the attacker's address waits, even with the right password (it is not even checked)…
    expect(await signInFrom(attacker, email, TEST_PASSWORD)).toMatchObject({ status: 429, retryAfter: 1, code: 'rate_limited' });
    // …but the owner, at home, is not slowed down at all.
    expect((await signInFrom(home, email, TEST_PASSWORD)).status).toBe(200);

    // Each further guess makes the next wait twice as long.
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const refused = await signInFrom(attacker, email, `guess after waiting ${round}`);
      expect(refused.status).toBe(429);
      waits.push(refused.retryAfter!);
      vi.setSystemTime(Date.now() + refused.retryAfter! * 1000 - 1);
      expect((await signInFrom(attacker, email, 'one millisecond early')).status).toBe(429);
      vi.setSystemTime(Date.now() + 1);
      expect((await signInFrom(attacker, email, `guess after waiting ${round}`)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    expect((await signInFrom(attacker, email, 'and again')).retryAfter).toBe(16);
    // Meanwhile the owner keeps signing in, from home and from the meeting venue.
    expect((await signInFrom(home, email, TEST_PASSWORD)).status).toBe(200);
    expect((await signInFrom('192.0.2.44', email, TEST_PASSWORD)).status).toBe(200);
    // Once the wait is over, the right password from the throttled address works and clears its count.
    vi.setSystemTime(Date.now() + 16_000);
    expect((await signInFrom(attacker, email, TEST_PASSWORD)).status).toBe(200);
    expect((await signInFrom(attacker, email, 'a typo after that')).status).toBe(401);
    expect((await signInFrom(attacker, email, TEST_PASSWORD)).status).toBe(200);
  });

  it('counts guesses sent all at once before answering any of them', async () => {
    const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Targeted');
    // Frozen, so that however slowly the machine answers them, no wait runs out meanwhile.
    vi.useFakeTimers({ toFake: ['Date'] });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => signInFrom('203.0.113.99', person.user.email, `parallel guess ${i}`)));
    expect(results.filter((result) => result.status === 401)).toHaveLength(5);
    expect(results.filter((result) => result.status === 429)).toHaveLength(15);
  });


  it('caps failed sign-ins from one address across accounts (password spraying), and only from that address', async () => {
    const sprayer = '203.0.113.7';
    const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Sprayed');
    // Five guesses at each of six accounts: each account alone would still have no wait.
    for (let account = 0; account < 6; account++) {
      const email = freshEmail();
      for (let guess = 0; guess < 5; guess++) expect((await signInFrom(sprayer, email, `Summer202${guess}!`)).status).toBe(401);
    }
    const capped = await signInFrom(sprayer, person.user.email, 'Summer2020!');
    expect(capped).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(capped.retryAfter).toBeGreaterThan(14 * 60);
    expect((await signInFrom('198.51.100.20', person.user.email, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('new passwords', () => {
  it('are refused when easy to guess, with the reason under the field: sign-up, password change and reset', async () => {
    const signUp = (password: string, name = 'Kofi Mensah', email = freshEmail()) =>
      api(server.url, undefined, 'POST', '/api/auth/signup', { email, name, password, invite: 'unused-because-refused-first' });
    const invite = await createInvite(server.url, server.owner.auth, server.owner.groupId, 'observer');
    const withInvite = (password: string, name = 'Kofi Mensah', email = freshEmail()) =>
      api(server.url, undefined, 'POST', '/api/auth/signup', { email, name, password, invite: invite.token });
    expect((await signUp('password12')).status).toBe(410); // a bad invite is answered first

    const common = await withInvite('password12');
    expect(common.status).toBe(400);
    expect(common.body.error.code).toBe('weak_password');
    expect(common.body.error.fields).toEqual([{ path: 'password', message: 'This is a commonly used password. Add more words that are less common.' }]);
    const spaces = await withInvite(' '.repeat(10));
    expect(spaces.body.error.fields[0].message).toMatch(/^Repeated characters like "aaa" are easy to guess\./);
    const personal = await withInvite('kofimensah1960', 'Kofi Mensah');
    expect(personal.body.error.fields[0].message).toMatch(/^There should not be any personal or page related data\./);
    const ownEmail = await withInvite('kofi.m@example.org', 'K. Mensah', 'kofi.m@example.org');
    expect(ownEmail.status).toBe(400);
    // Too short is still too short, whatever its strength.
    expect((await withInvite('Xq7#pL2!')).body.error.fields).toEqual([{ path: 'password', message: 'password must be at least 10 characters' }]);
    // The refused sign-ups left the invite unused.
    expect((await withInvite('correct horse battery staple', 'Kofi Mensah')).status).toBe(201);

    const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Ama Mensah');
    const change = await api(server.url, { cookie: person.cookie }, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'qwertyuiop' });
    expect(change.status).toBe(400);
    expect(change.body.error.fields).toEqual([{ path: 'newPassword', message: expect.stringMatching(/^This is a (frequently|commonly|heavily) used password\./) }]);
    const reset = await apiOk(server.url, ownerSession(), 'POST', `/api/admin/users/${person.user.id}/password-reset`, undefined, 201);
    const resetToken = reset.path.replace('/reset/', '');
    const weakReset = await api(server.url, undefined, 'POST', `/api/auth/reset/${resetToken}`, { newPassword: 'amamensah2024' });
    expect(weakReset.status).toBe(400);
    expect(weakReset.body.error.fields[0]).toMatchObject({ path: 'newPassword', message: expect.stringMatching(/personal/) });
    // The refused reset left the link usable and the password as it was.
    expect((await signInFrom('198.51.100.30', person.user.email, TEST_PASSWORD)).status).toBe(200);
    expect((await api(server.url, undefined, 'POST', `/api/auth/reset/${resetToken}`, { newPassword: 'a quiet lantern by the river' })).status).toBe(200);
  });

  const WORDS = ['password', 'qwerty', 'dragon', 'monkey', 'sunshine', 'strategy', 'forum', 'internet', 'policy', 'lantern', 'quartz', 'orbit', 'violet', 'meadow', 'kofi', 'mensah'];
  /** Candidate passwords of at least 10 characters, from the obviously weak to passphrases. */
  const candidate = fc
    .oneof(
      fc.constantFrom('password12', 'qwertyuiop', '1234567890', 'iloveyou12', 'letmein123', 'P@ssw0rd2024', 'aaaaaaaaaa', 'abcdefghij', '1q2w3e4r5t', 'Password1!'),
      fc.tuple(fc.constantFrom(...WORDS), fc.integer({ min: 0, max: 2030 }), fc.constantFrom('', '!', '?', '#')).map(([word, n, end]) => `${word}${n}${end}`),
      fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 5 }).map((words) => words.join(' ')),
      fc.string({ unit: fc.constantFrom('a', 'b', '1', '!', ' '), minLength: 10, maxLength: 16 }),
      fc.string({ minLength: 10, maxLength: 30 }),
    )
    .filter((password) => password.length >= 10);

  itProp.prop([candidate], { numRuns: 30 })('are refused by the API exactly when zxcvbn scores them below 3, with its reason', async (password) => {
    const judge = await loadPasswordJudge();
    const email = freshEmail();
    const verdict = judge(password, [email, 'Kofi Mensah']);
    expect(verdict.ok).toBe(verdict.score >= PASSWORD_MIN_SCORE);
    const invite = await createInvite(server.url, server.owner.auth, server.owner.groupId, 'observer');
    const response = await api(server.url, undefined, 'POST', '/api/auth/signup', { email, name: 'Kofi Mensah', password, invite: invite.token });
    if (verdict.ok) {
      expect(response.status).toBe(201);
    } else {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'weak_password', fields: [{ path: 'password', message: verdict.reason }] });
    }
  });
});

describe('access token scopes', () => {
  async function tokenOf(cookie: string, body: Record<string, unknown>): Promise<{ token: string; scopes: string[] }> {
    return apiOk(server.url, { cookie }, 'POST', '/api/tokens', { name: 'scoped', expiresInDays: 30, ...body }, 201);
  }

  it('default to read and write; a read token reads but changes nothing, over HTTP or on the socket', async () => {
    const docId = await createDocument(server, 'Read by a bot');
    const full = await tokenOf(server.owner.cookie, {});
    expect(full.scopes).toEqual(['read', 'write']);
    const read = await tokenOf(server.owner.cookie, { scopes: ['read'] });
    expect(read.scopes).toEqual(['read']);
    const listed = await apiOk(server.url, ownerSession(), 'GET', '/api/tokens');
    expect(listed.tokens.map((token: { scopes: string[] }) => token.scopes)).toContainEqual(['read']);
    // Every token reads; scopes without read make no sense.
    expect((await api(server.url, ownerSession(), 'POST', '/api/tokens', { name: 'x', expiresInDays: 7, scopes: ['write'] })).status).toBe(400);

    const asReader = { token: read.token };
    expect((await api(server.url, asReader, 'GET', `/api/documents/${docId}`)).status).toBe(200);
    const refused = await api(server.url, asReader, 'POST', '/api/documents', { groupId: server.owner.groupId, title: 'Planted by a read token' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_scope');
    expect((await api(server.url, asReader, 'PATCH', `/api/documents/${docId}`, { title: 'Renamed by a read token' })).status).toBe(403);
    expect((await api(server.url, asReader, 'POST', `/api/groups/${server.owner.groupId}/invites`, { role: 'co-chair' })).status).toBe(403);
    expect((await apiOk(server.url, server.owner.auth, 'GET', `/api/documents/${docId}`)).title).toBe('Read by a bot');
    expect((await api(server.url, { token: full.token }, 'PATCH', `/api/documents/${docId}`, { title: 'Renamed by a write token' })).status).toBe(200);

    // On the socket, the read token of a co-chair is an observer: its edits are dropped.
    const writer = connectClient(server, docId, { auth: { token: full.token } });
    const reader = connectClient(server, docId, { auth: asReader });
    clients.push(writer, reader);
    await Promise.all([waitForSync(writer), waitForSync(reader)]);
    appendParagraph(reader.doc, 'typed with a read token');
    // Frames of one socket are handled in order: once its presence (sent after the edit) arrives, the edit was handled.
    reader.provider.awareness.setLocalStateField('marker', 'after the edit');
    const readerState = () => writer.provider.awareness.getStates().get(reader.doc.clientID) as { marker?: string } | undefined;
    await waitFor(() => readerState()?.marker === 'after the edit', 10_000, 'the read token’s presence');
    appendParagraph(writer.doc, 'typed with a write token');
    await waitFor(() => reader.text().includes('typed with a write token'), 10_000, 'the writer’s edit at the reader');
    expect(writer.text()).toBe('typed with a write token');
    const room = server.server.registry.peek(docId)!;
    await room.flush();
    expect(fragmentText(room.doc)).toBe('typed with a write token');
    expect(fragmentText(docFromStored(await server.store.loadContent(docId)))).toBe('typed with a write token');
  });

  it('an administrator’s token administers accounts only with the admin scope, which is chosen explicitly', async () => {
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Ordinary member');
    // Only administrators may ask for it.
    const refused = await api(server.url, { cookie: member.cookie }, 'POST', '/api/tokens', { name: 'x', expiresInDays: 7, scopes: ['read', 'write', 'admin'] });
    expect(refused.status).toBe(403);

    // The owner (an administrator)'s everyday token: read and write, no administration.
    const everyday = server.owner.auth;
    const resetPath = `/api/admin/users/${member.user.id}/password-reset`;
    const noReset = await api(server.url, everyday, 'POST', resetPath);
    expect(noReset.status).toBe(403);
    expect(noReset.body.error.code).toBe('insufficient_scope');
    expect((await api(server.url, everyday, 'GET', '/api/admin/users')).status).toBe(403);
    expect((await api(server.url, everyday, 'PATCH', `/api/admin/users/${member.user.id}`, { isAdmin: true })).status).toBe(403);
    expect((await apiOk(server.url, ownerSession(), 'GET', '/api/admin/users')).users.find((user: { id: string }) => user.id === member.user.id).isAdmin).toBe(false);

    const admin = { token: (await tokenOf(server.owner.cookie, { scopes: ['read', 'write', 'admin'] })).token };
    const reset = await apiOk(server.url, admin, 'POST', resetPath, undefined, 201);
    expect(reset.path).toMatch(/^\/reset\/pwr_/);
    expect((await apiOk(server.url, admin, 'PATCH', `/api/admin/users/${member.user.id}`, { disabled: true })).disabled).toBe(true);
    expect((await apiOk(server.url, admin, 'PATCH', `/api/admin/users/${member.user.id}`, { disabled: false })).disabled).toBe(false);
    // Admin without write: it may look, not change.
    const lookOnly = { token: (await tokenOf(server.owner.cookie, { scopes: ['read', 'admin'] })).token };
    expect((await api(server.url, lookOnly, 'GET', '/api/admin/users')).status).toBe(200);
    expect((await api(server.url, lookOnly, 'POST', resetPath)).status).toBe(403);
    // A browser session of the administrator needs no token at all.
    expect((await api(server.url, ownerSession(), 'POST', resetPath)).status).toBe(201);
    // And a fresh session from signing in is such a session.
    const signedIn = await api(server.url, undefined, 'POST', '/api/auth/signin', { email: 'owner@example.org', password: TEST_PASSWORD });
    expect((await api(server.url, { cookie: sessionCookieOf(signedIn.headers) }, 'POST', resetPath)).status).toBe(201);
  });
});

/**
 * Working groups through the HTTP API: invite links (single-use, expiring, carrying a role),
 * what each role may do to members and documents, and that nobody reaches another group's
 * documents by guessing ids.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvite, addMember, api, apiOk, createGroup, createInvite, signUp } from '../helpers/accounts';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const owner = () => server.owner.auth;
const groupPath = () => `/api/groups/${server.owner.groupId}`;

describe('invite links', () => {
  it('carry their role, and admit one person once', async () => {
    const invite = await createInvite(server.url, owner(), server.owner.groupId, 'secretariat');
    expect(invite.path).toBe(`/invite/${invite.token}`);
    const preview = await apiOk(server.url, undefined, 'GET', `/api/invites/${invite.token}`);
    expect(preview).toMatchObject({ groupName: 'Working Group on Strategy', role: 'secretariat', invitedBy: 'Owner' });

    const first = await signUp(server.url, { invite: invite.token, name: 'Secretariat' });
    const groups = await apiOk(server.url, first.auth, 'GET', '/api/groups');
    expect(groups.groups).toEqual([expect.objectContaining({ id: server.owner.groupId, role: 'secretariat' })]);

    // Used: neither a new account nor an existing one gets in with it.
    const second = await api(server.url, undefined, 'POST', '/api/auth/signup', { email: 'second@example.org', name: 'Second', password: 'long enough password', invite: invite.token });
    expect(second.status).toBe(410);
    expect((await api(server.url, undefined, 'POST', '/api/auth/signin', { email: 'second@example.org', password: 'long enough password' })).status).toBe(401);
    const outsider = await signUp(server.url, { invite: (await createInvite(server.url, owner(), (await createGroup(server.url, owner(), 'Other group')).id, 'member')).token });
    const reuse = await acceptInvite(server.url, outsider.auth, invite.token);
    expect(reuse.status).toBe(410);
    expect((await api(server.url, outsider.auth, 'GET', groupPath())).status).toBe(403);
    expect((await api(server.url, undefined, 'GET', `/api/invites/${invite.token}`)).status).toBe(410);
  });

  it('admit only one of two people racing to use the same link', async () => {
    const invite = await createInvite(server.url, owner(), server.owner.groupId, 'member');
    const makeOutsider = async () =>
      signUp(server.url, { invite: (await createInvite(server.url, owner(), (await createGroup(server.url, owner(), 'Elsewhere')).id, 'member')).token });
    const [a, b] = await Promise.all([makeOutsider(), makeOutsider()]);
    const results = await Promise.all([acceptInvite(server.url, a.auth, invite.token), acceptInvite(server.url, b.auth, invite.token)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 410]);
  });

  it('expire', async () => {
    const invite = await createInvite(server.url, owner(), server.owner.groupId, 'member', 1);
    // A day later (moved in the database: the server reads expiry from there).
    const db = new Database(join(server.dataDir, 'concord.sqlite'));
    db.prepare('UPDATE invites SET expires_at = ? WHERE id = ?').run(Date.now() - 1, invite.id);
    db.close();
    expect((await api(server.url, undefined, 'GET', `/api/invites/${invite.token}`)).status).toBe(410);
    const signUpLate = await api(server.url, undefined, 'POST', '/api/auth/signup', { email: 'late@example.org', name: 'Late', password: 'long enough password', invite: invite.token });
    expect(signUpLate.status).toBe(410);
    const pending = await apiOk(server.url, owner(), 'GET', `${groupPath()}/invites`);
    expect(pending.invites.map((i: { id: string }) => i.id)).not.toContain(invite.id);
  });

  it('can be withdrawn', async () => {
    const invite = await createInvite(server.url, owner(), server.owner.groupId, 'observer');
    expect((await api(server.url, owner(), 'DELETE', `${groupPath()}/invites/${invite.id}`)).status).toBe(204);
    expect((await api(server.url, undefined, 'GET', `/api/invites/${invite.token}`)).status).toBe(410);
  });

  it('validate input: 400 naming the field', async () => {
    const response = await api(server.url, owner(), 'POST', `${groupPath()}/invites`, { role: 'king', expiresInDays: 90 });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((field: { path: string }) => field.path).sort()).toEqual(['expiresInDays', 'role']);
  });
});

describe('roles', () => {
  it('only managers invite, and the secretariat cannot hand out or take away the co-chair role', async () => {
    const member = await addMember(server.url, owner(), server.owner.groupId, 'member');
    const secretariat = await addMember(server.url, owner(), server.owner.groupId, 'secretariat');
    expect((await api(server.url, member.auth, 'POST', `${groupPath()}/invites`, { role: 'member' })).status).toBe(403);
    expect((await api(server.url, secretariat.auth, 'POST', `${groupPath()}/invites`, { role: 'co-chair' })).status).toBe(403);
    expect((await api(server.url, secretariat.auth, 'POST', `${groupPath()}/invites`, { role: 'observer' })).status).toBe(201);
    expect((await api(server.url, secretariat.auth, 'PATCH', `${groupPath()}/members/${member.user.id}`, { role: 'co-chair' })).status).toBe(403);
    expect((await api(server.url, secretariat.auth, 'PATCH', `${groupPath()}/members/${server.owner.user.id}`, { role: 'observer' })).status).toBe(403);
    expect((await api(server.url, secretariat.auth, 'DELETE', `${groupPath()}/members/${server.owner.user.id}`)).status).toBe(403);
    expect((await api(server.url, member.auth, 'DELETE', `${groupPath()}/members/${secretariat.user.id}`)).status).toBe(403);
    // What the secretariat may do, it can.
    const changed = await apiOk(server.url, secretariat.auth, 'PATCH', `${groupPath()}/members/${member.user.id}`, { role: 'observer' });
    expect(changed.role).toBe('observer');
    const roles = await apiOk(server.url, owner(), 'GET', groupPath());
    expect(roles.members.find((m: { userId: string }) => m.userId === server.owner.user.id).role).toBe('co-chair');
  });

  it('a group keeps a co-chair: the last one can neither leave nor step down', async () => {
    const group = await createGroup(server.url, owner(), 'Solo');
    const leave = await api(server.url, owner(), 'DELETE', `/api/groups/${group.id}/members/${server.owner.user.id}`);
    expect(leave.status).toBe(409);
    expect(leave.body.error.code).toBe('last_co_chair');
    expect((await api(server.url, owner(), 'PATCH', `/api/groups/${group.id}/members/${server.owner.user.id}`, { role: 'member' })).status).toBe(409);
    // Anyone else may leave.
    const member = await addMember(server.url, owner(), group.id, 'member');
    expect((await api(server.url, member.auth, 'DELETE', `/api/groups/${group.id}/members/${member.user.id}`)).status).toBe(204);
    expect((await apiOk(server.url, member.auth, 'GET', '/api/groups')).groups).toEqual([]);
  });

  it('observers read documents but cannot create, rename, archive or delete them; members cannot archive or delete', async () => {
    const docId = await createDocument(server, 'Roles draft');
    const observer = await addMember(server.url, owner(), server.owner.groupId, 'observer');
    const member = await addMember(server.url, owner(), server.owner.groupId, 'member');
    expect((await apiOk(server.url, observer.auth, 'GET', `/api/documents/${docId}`)).role).toBe('observer');
    expect((await api(server.url, observer.auth, 'POST', '/api/documents', { groupId: server.owner.groupId })).status).toBe(403);
    expect((await api(server.url, observer.auth, 'PATCH', `/api/documents/${docId}`, { title: 'Hijacked' })).status).toBe(403);
    expect((await api(server.url, member.auth, 'PATCH', `/api/documents/${docId}`, { title: 'Renamed by member' })).status).toBe(200);
    expect((await api(server.url, member.auth, 'PATCH', `/api/documents/${docId}`, { archived: true })).status).toBe(403);
    expect((await api(server.url, member.auth, 'DELETE', `/api/documents/${docId}`)).status).toBe(403);
    expect((await api(server.url, observer.auth, 'DELETE', `/api/documents/${docId}`)).status).toBe(403);
    expect((await apiOk(server.url, owner(), 'GET', `/api/documents/${docId}`)).title).toBe('Renamed by member');
  });
});

describe('another group\u2019s documents', () => {
  it('cannot be listed, read, changed or deleted by guessing their id', async () => {
    const docId = await createDocument(server, 'Confidential draft');
    const rival = await signUp(server.url, { invite: (await createInvite(server.url, owner(), (await createGroup(server.url, owner(), 'Rival group')).id, 'co-chair')).token });
    const rivalGroup = (await apiOk(server.url, rival.auth, 'GET', '/api/groups')).groups[0].id;

    const listed = await apiOk(server.url, rival.auth, 'GET', '/api/documents');
    expect(listed.documents.map((d: { id: string }) => d.id)).not.toContain(docId);
    expect((await api(server.url, rival.auth, 'GET', `/api/documents?groupId=${server.owner.groupId}`)).status).toBe(403);
    const read = await api(server.url, rival.auth, 'GET', `/api/documents/${docId}`);
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('no_access');
    expect((await api(server.url, rival.auth, 'PATCH', `/api/documents/${docId}`, { title: 'Defaced' })).status).toBe(403);
    expect((await api(server.url, rival.auth, 'DELETE', `/api/documents/${docId}`)).status).toBe(403);
    expect((await api(server.url, rival.auth, 'POST', '/api/documents', { groupId: server.owner.groupId, title: 'Planted' })).status).toBe(403);
    expect((await api(server.url, rival.auth, 'GET', groupPath())).status).toBe(403);
    expect((await api(server.url, rival.auth, 'POST', `${groupPath()}/invites`, { role: 'co-chair' })).status).toBe(403);
    // Their own group works as usual.
    expect((await api(server.url, rival.auth, 'POST', '/api/documents', { groupId: rivalGroup, title: 'Ours' })).status).toBe(201);
    expect((await apiOk(server.url, owner(), 'GET', `/api/documents/${docId}`)).title).toBe('Confidential draft');
  });

  it('the home list shows only the person\u2019s groups\u2019 documents', async () => {
    const mine = await createDocument(server, 'In my group');
    const newcomer = await addMember(server.url, owner(), server.owner.groupId, 'observer');
    const other = await createGroup(server.url, owner(), 'Not theirs');
    const hidden = await createDocument(server, 'In a group they are not in', { auth: owner(), groupId: other.id });
    const listed = (await apiOk(server.url, newcomer.auth, 'GET', '/api/documents')).documents.map((d: { id: string }) => d.id);
    expect(listed).toContain(mine);
    expect(listed).not.toContain(hidden);
    expect((await apiOk(server.url, newcomer.auth, 'GET', '/api/groups')).groups.map((g: { name: string }) => g.name)).toEqual(['Working Group on Strategy']);
  });
});

describe('deleting a group', () => {
  it('is for co-chairs, and removes its documents', async () => {
    const group = await createGroup(server.url, owner(), 'Short-lived');
    const docId = await createDocument(server, 'Doomed', { auth: owner(), groupId: group.id });
    const secretariat = await addMember(server.url, owner(), group.id, 'secretariat');
    expect((await api(server.url, secretariat.auth, 'DELETE', `/api/groups/${group.id}`)).status).toBe(403);
    expect((await api(server.url, owner(), 'DELETE', `/api/groups/${group.id}`)).status).toBe(204);
    expect((await api(server.url, owner(), 'GET', `/api/documents/${docId}`)).status).toBe(404);
    expect(await server.store.loadContent(docId)).toEqual({ snapshot: null, updates: [] });
  });
});

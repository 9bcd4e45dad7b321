import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NewNotification, Store } from '../../server/src/store/index';
import { docFromStored } from '../helpers/clients';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every Store adapter must do, observed through the Store interface only. `openStore` gives
 * a fresh, empty store for each test; `closeAndCleanup` closes it and removes what it stored.
 */
export function describeStoreContract(name: string, openStore: () => Promise<Store>, closeAndCleanup: (store: Store) => Promise<void>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await closeAndCleanup(store);
    });

    /** The first account (an administrator), co-chair of one group. */
    async function chairWithGroup(): Promise<{ chair: string; group: string }> {
      await store.createUser({ id: 'u-chair', email: 'chair@example.org', name: 'Chair', passwordHash: 'h-chair', onlyIfFirst: true });
      await store.createGroup({ id: 'g-strategy', name: 'Working Group on Strategy', description: 'Priorities', creatorId: 'u-chair' });
      return { chair: 'u-chair', group: 'g-strategy' };
    }
    async function addUser(id: string, name = id): Promise<void> {
      const result = await store.createUser({ id, email: `${id}@example.org`, name, passwordHash: `h-${id}`, onlyIfFirst: false });
      expect(result.status).toBe('created');
    }
    async function addMember(group: string, userId: string, role: 'co-chair' | 'member' | 'secretariat' | 'observer'): Promise<void> {
      await store.createInvite({ id: `i-${userId}`, groupId: group, role, tokenHash: `t-${userId}`, note: '', createdBy: 'u-chair', expiresAt: new Date(Date.now() + HOUR) });
      expect(await store.redeemInvite(`t-${userId}`, userId, new Date())).toEqual({ status: 'joined', groupId: group, role });
    }

    describe('documents', () => {
      it('creates, reads, lists, renames, archives, marks final and deletes documents', async () => {
        const { chair, group } = await chairWithGroup();
        await store.createGroup({ id: 'g-other', name: 'Other', description: '', creatorId: chair });
        const created = await store.createDocument({ id: 'd-1', title: 'Options Paper', groupId: group });
        expect(created).toMatchObject({ id: 'd-1', title: 'Options Paper', groupId: group, archivedAt: null, final: null, kind: 'draft', citeAs: null });
        expect(created.updatedAt.getTime()).toBe(created.createdAt.getTime());
        expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(10_000);
        expect(await store.getDocument('d-1')).toEqual(created);
        expect(await store.getDocument('d-missing')).toBeUndefined();

        await sleep(5);
        await store.createDocument({ id: 'd-2', title: 'Roadmap', groupId: group });
        await sleep(5);
        const source = await store.createDocument({ id: 'd-3', title: 'Elsewhere', groupId: 'g-other', kind: 'source', citeAs: 'Paper A' });
        expect(source).toMatchObject({ kind: 'source', citeAs: 'Paper A' });
        expect((await store.updateDocument('d-3', { citeAs: 'Paper B' }))?.citeAs).toBe('Paper B');
        const ids = async (archived: boolean, groupIds: string[]) => (await store.listDocuments({ archived, groupIds })).map((d) => d.id);
        // Most recently edited first, only the asked groups.
        expect(await ids(false, [group])).toEqual(['d-2', 'd-1']);
        expect(await ids(false, [group, 'g-other'])).toEqual(['d-3', 'd-2', 'd-1']);
        expect(await ids(false, [])).toEqual([]);

        await sleep(5);
        await store.appendUpdate('d-1', updateInsertingText('edit'));
        expect(await ids(false, [group])).toEqual(['d-1', 'd-2']);

        const renamed = await store.updateDocument('d-1', { title: 'Options Paper, rev. 2' });
        expect(renamed?.title).toBe('Options Paper, rev. 2');
        const archived = await store.updateDocument('d-2', { archived: true });
        expect(archived?.archivedAt).toBeInstanceOf(Date);
        expect(await ids(false, [group])).toEqual(['d-1']);
        expect(await ids(true, [group])).toEqual(['d-2']);
        expect((await store.updateDocument('d-2', { archived: false }))?.archivedAt).toBeNull();

        const final = await store.updateDocument('d-1', { final: { by: chair } });
        expect(final?.final?.by).toEqual({ id: chair, name: 'Chair' });
        expect(final?.final?.at).toBeInstanceOf(Date);
        await store.updateProfile(chair, { name: 'Chair Renamed' });
        expect((await store.getDocument('d-1'))?.final?.by.name).toBe('Chair Renamed');
        expect((await store.updateDocument('d-1', { final: null }))?.final).toBeNull();
        expect(await store.updateDocument('d-missing', { title: 'x' })).toBeUndefined();

        // Only documents without a group are adopted; these all have one.
        expect(await store.adoptUngroupedDocuments('g-other')).toBe(0);
        expect((await store.getDocument('d-1'))?.groupId).toBe(group);

        expect(await store.deleteDocument('d-1')).toBe(true);
        expect(await store.deleteDocument('d-1')).toBe(false);
        expect(await store.getDocument('d-1')).toBeUndefined();
        expect(await ids(false, [group])).toEqual(['d-2']);
      });

      it('stores content, rebuilds it, and keeps it whole across compactions', async () => {
        const { group } = await chairWithGroup();
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        expect(await store.loadContent('d-1')).toEqual({ snapshot: null, updates: [] });

        const doc = new Y.Doc();
        const text = doc.getText('body');
        const updates: Uint8Array[] = [];
        doc.on('update', (update: Uint8Array) => updates.push(update));
        for (let i = 0; i < 20; i++) text.insert(text.length, `para ${i}. `);
        text.delete(0, 8);
        for (const update of updates) await store.appendUpdate('d-1', update);

        const before = await store.loadContent('d-1');
        expect(before.snapshot).toBeNull();
        expect(before.updates).toHaveLength(21);
        expect(before.updates.map((u) => [...u])).toEqual(updates.map((u) => [...u]));
        expect(docFromStored(before).getText('body').toString()).toBe(text.toString());

        expect(await store.compact('d-1')).toBe(21);
        const compacted = await store.loadContent('d-1');
        expect(compacted.snapshot).toBeInstanceOf(Uint8Array);
        expect(compacted.updates).toEqual([]);
        expect(docFromStored(compacted).getText('body').toString()).toBe(text.toString());
        expect(await store.compact('d-1')).toBe(0);

        updates.length = 0;
        text.insert(0, 'Preamble. ');
        await store.appendUpdate('d-1', updates[0]);
        const after = await store.loadContent('d-1');
        expect(after.updates).toHaveLength(1);
        expect(docFromStored(after).getText('body').toString()).toBe(text.toString());
        expect(await store.compact('d-1')).toBe(1);
        expect(docFromStored(await store.loadContent('d-1')).getText('body').toString()).toBe(text.toString());
        expect(await store.compact('d-missing')).toBe(0);
      });

      it('bumps updatedAt on append, and drops appends to a deleted document', async () => {
        const { group } = await chairWithGroup();
        const created = await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        await sleep(5);
        await store.appendUpdate('d-1', updateInsertingText('a'));
        expect((await store.getDocument('d-1'))!.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());

        await store.appendUpdate('d-missing', updateInsertingText('lost'));
        expect(await store.loadContent('d-missing')).toEqual({ snapshot: null, updates: [] });
      });

      it('removes the content, threads, attribution and versions of a deleted document', async () => {
        const { chair, group } = await chairWithGroup();
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        const update = updateInsertingText('text', 7);
        await store.appendUpdate('d-1', update, { clients: [{ clientId: 7, userId: chair }], deletions: [{ clientId: 7, clock: 0, length: 1, userId: chair }] });
        await store.compact('d-1');
        await store.appendUpdate('d-1', updateInsertingText('more', 8));
        await store.createThread(newThread('th-1', 'd-1', chair));
        await store.createVersion(newVersion('v-1', 'd-1', update, chair));

        expect(await store.deleteDocument('d-1')).toBe(true);
        // A new document under the same id starts empty.
        await store.createDocument({ id: 'd-1', title: 'Again', groupId: group });
        expect(await store.loadContent('d-1')).toEqual({ snapshot: null, updates: [] });
        expect(await store.listThreads('d-1')).toEqual([]);
        expect(await store.listVersions('d-1')).toEqual([]);
        expect(await store.loadAttribution('d-1', { afterDeletion: 0, uptoDeletion: null })).toEqual({ clients: [], deletions: [] });
      });

      it('records attribution: first claim of a client id wins; deletions are read between marks', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana', 'Ana');
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        const deletion = (i: number, userId: string) => ({ clientId: 100 + (i % 3), clock: i, length: 1 + (i % 5), userId });
        // 4,500 deletions: more than two pages of the adapters' slices.
        for (let batch = 0; batch < 5; batch++) {
          const deletions = Array.from({ length: 500 }, (_, i) => deletion(batch * 500 + i, chair));
          await store.appendUpdate('d-1', updateInsertingText(`b${batch}`), { clients: [{ clientId: 100 + batch, userId: chair }], deletions });
        }
        await store.appendUpdate('d-1', updateInsertingText('x'), { clients: [{ clientId: 100, userId: 'u-ana' }, { clientId: 4_000_000_000, userId: 'u-ana' }], deletions: [] });
        const first = await store.createVersion(newVersion('v-1', 'd-1', updateInsertingText('state'), chair));
        for (let batch = 5; batch < 9; batch++) {
          const deletions = Array.from({ length: 500 }, (_, i) => deletion(batch * 500 + i, 'u-ana'));
          await store.appendUpdate('d-1', updateInsertingText(`b${batch}`), { clients: [], deletions });
        }

        const upToFirst = await store.loadAttribution('d-1', { afterDeletion: 0, uptoDeletion: first.deletionMark });
        expect(upToFirst.deletions).toHaveLength(2500);
        expect(upToFirst.deletions[0]).toEqual(deletion(0, chair));
        expect(upToFirst.deletions[2499]).toEqual(deletion(2499, chair));
        expect(upToFirst.deletions.map((d) => d.clock)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
        const clients = [...upToFirst.clients].sort((a, b) => a.clientId - b.clientId);
        expect(clients).toEqual([
          { clientId: 100, userId: chair },
          { clientId: 101, userId: chair },
          { clientId: 102, userId: chair },
          { clientId: 103, userId: chair },
          { clientId: 104, userId: chair },
          { clientId: 4_000_000_000, userId: 'u-ana' },
        ]);

        const sinceFirst = await store.loadAttribution('d-1', { afterDeletion: first.deletionMark, uptoDeletion: null });
        expect(sinceFirst.deletions).toHaveLength(2000);
        expect(sinceFirst.deletions[0]).toEqual(deletion(2500, 'u-ana'));
        expect(sinceFirst.deletions[1999]).toEqual(deletion(4499, 'u-ana'));
        expect(await store.loadAttribution('d-1', { afterDeletion: first.deletionMark, uptoDeletion: first.deletionMark })).toMatchObject({ deletions: [] });
      });
    });

    describe('accounts', () => {
      it('makes the first account the administrator, and only the first', async () => {
        const first = await store.createUser({ id: 'u-1', email: 'one@example.org', name: 'One', passwordHash: 'h1', onlyIfFirst: true });
        expect(first).toMatchObject({ status: 'created', user: { id: 'u-1', email: 'one@example.org', name: 'One', passwordHash: 'h1', isAdmin: true, disabled: false } });
        expect(await store.createUser({ id: 'u-2', email: 'two@example.org', name: 'Two', passwordHash: 'h2', onlyIfFirst: true })).toEqual({ status: 'not_first' });
        expect(await store.createUser({ id: 'u-2', email: 'one@example.org', name: 'Two', passwordHash: 'h2', onlyIfFirst: false })).toEqual({ status: 'email_taken' });
        const second = await store.createUser({ id: 'u-2', email: 'two@example.org', name: 'Two', passwordHash: 'h2', onlyIfFirst: false });
        expect(second).toMatchObject({ status: 'created', user: { isAdmin: false } });
        expect(await store.countUsers()).toBe(2);
      });

      it('creates an account with an invite only while the invite is pending, using it up in the same transaction', async () => {
        const { group } = await chairWithGroup();
        const invite = (tokenHash: string, expiresAt = new Date(Date.now() + HOUR)) =>
          store.createInvite({ id: `i-${tokenHash}`, groupId: group, role: 'observer', tokenHash, note: '', createdBy: 'u-chair', expiresAt });
        const signUp = (id: string, tokenHash: string, email = `${id}@example.org`) =>
          store.createUser({ id, email, name: id, passwordHash: `h-${id}`, onlyIfFirst: false, invite: { tokenHash, now: new Date() } });

        await invite('t-1');
        // A taken email leaves the invite unused.
        expect(await signUp('u-dup', 't-1', 'chair@example.org')).toEqual({ status: 'email_taken' });
        const created = await signUp('u-ana', 't-1');
        expect(created).toMatchObject({ status: 'created', user: { id: 'u-ana', isAdmin: false }, joined: { groupId: group, role: 'observer' } });
        expect(await store.getRole(group, 'u-ana')).toBe('observer');
        expect(await store.getInviteByHash('t-1')).toMatchObject({ usedAt: expect.any(Date) });
        expect(await signUp('u-bob', 't-1')).toEqual({ status: 'invite_used' });
        expect(await store.getUser('u-bob')).toBeUndefined();

        await invite('t-expired', new Date(Date.now() - 1));
        expect(await signUp('u-cy', 't-expired')).toEqual({ status: 'invite_invalid' });
        await invite('t-withdrawn');
        expect(await store.revokeInvite(group, 'i-t-withdrawn')).toBe(true);
        expect(await signUp('u-cy', 't-withdrawn')).toEqual({ status: 'invite_invalid' });
        expect(await signUp('u-cy', 't-unknown')).toEqual({ status: 'invite_invalid' });
        expect(await store.getUserByEmail('u-cy@example.org')).toBeUndefined();
        expect(await store.countUsers()).toBe(2);
      });

      it('lets exactly one of ten simultaneous sign-ups with one invite create an account', async () => {
        const { group } = await chairWithGroup();
        await store.createInvite({ id: 'i-1', groupId: group, role: 'member', tokenHash: 't-1', note: '', createdBy: 'u-chair', expiresAt: new Date(Date.now() + HOUR) });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.createUser({ id: `u-${i}`, email: `racer${i}@example.org`, name: `Racer ${i}`, passwordHash: 'h', onlyIfFirst: false, invite: { tokenHash: 't-1', now: new Date() } }),
          ),
        );
        expect(results.filter((result) => result.status === 'created')).toHaveLength(1);
        expect(results.filter((result) => result.status === 'invite_used')).toHaveLength(9);
        expect(await store.countUsers()).toBe(2);
        expect((await store.listMembers(group)).map((member) => member.role).sort()).toEqual(['co-chair', 'member']);
      });

      it('lets exactly one of two simultaneous first sign-ups become administrator', async () => {
        const results = await Promise.all(
          ['a', 'b'].map((id) => store.createUser({ id: `u-${id}`, email: `${id}@example.org`, name: id, passwordHash: 'h', onlyIfFirst: false })),
        );
        const admins = results.filter((r) => r.status === 'created' && r.user.isAdmin);
        expect(results.map((r) => r.status)).toEqual(['created', 'created']);
        expect(admins).toHaveLength(1);

        const firsts = await Promise.all(
          ['c', 'd'].map((id) => store.createUser({ id: `u-${id}`, email: `${id}@example.org`, name: id, passwordHash: 'h', onlyIfFirst: true })),
        );
        expect(firsts).toEqual([{ status: 'not_first' }, { status: 'not_first' }]);
      });

      it('reads, lists and updates accounts, and always keeps an enabled administrator', async () => {
        const { group } = await chairWithGroup();
        await sleep(5); // listed by creation time
        await addUser('u-ana', 'Ana');
        await addMember(group, 'u-ana', 'member');
        await store.createGroup({ id: 'g-2', name: 'Second', description: '', creatorId: 'u-ana' });

        expect((await store.getUser('u-ana'))?.email).toBe('u-ana@example.org');
        expect((await store.getUserByEmail('u-ana@example.org'))?.id).toBe('u-ana');
        expect(await store.getUser('u-missing')).toBeUndefined();
        expect(await store.getUserByEmail('nobody@example.org')).toBeUndefined();
        expect((await store.listUsers()).map((u) => [u.id, u.groupCount, u.isAdmin])).toEqual([
          ['u-chair', 1, true],
          ['u-ana', 2, false],
        ]);

        expect(await store.updateProfile('u-ana', { name: 'Ana B.', passwordHash: 'h-new' })).toMatchObject({ name: 'Ana B.', passwordHash: 'h-new' });
        expect(await store.updateProfile('u-missing', { name: 'x' })).toBeUndefined();

        expect(await store.updateUserStatus('u-missing', { isAdmin: true })).toEqual({ status: 'not_found' });
        expect(await store.updateUserStatus('u-chair', { isAdmin: false })).toEqual({ status: 'last_admin' });
        expect(await store.updateUserStatus('u-chair', { disabled: true })).toEqual({ status: 'last_admin' });
        expect(await store.getUser('u-chair')).toMatchObject({ isAdmin: true, disabled: false });

        expect(await store.updateUserStatus('u-ana', { isAdmin: true })).toMatchObject({ status: 'updated', user: { isAdmin: true } });
        expect(await store.updateUserStatus('u-chair', { disabled: true })).toMatchObject({ status: 'updated', user: { disabled: true } });
        expect(await store.updateUserStatus('u-ana', { disabled: true })).toEqual({ status: 'last_admin' });
        expect(await store.updateUserStatus('u-chair', { disabled: false })).toMatchObject({ status: 'updated', user: { disabled: false, isAdmin: true } });
      });

      it('never lets two administrators step down at once', async () => {
        await chairWithGroup();
        await addUser('u-ana');
        await store.updateUserStatus('u-ana', { isAdmin: true });
        const results = await Promise.all([store.updateUserStatus('u-chair', { isAdmin: false }), store.updateUserStatus('u-ana', { isAdmin: false })]);
        expect(results.map((r) => r.status).sort()).toEqual(['last_admin', 'updated']);
        expect((await store.listUsers()).filter((u) => u.isAdmin)).toHaveLength(1);
      });

      it('keeps sessions: create, read, extend, end one or all, forget expired ones', async () => {
        await chairWithGroup();
        await addUser('u-ana');
        const now = new Date();
        const in1h = new Date(now.getTime() + HOUR);
        await store.createSession({ idHash: 's-old', userId: 'u-ana', expiresAt: new Date(now.getTime() + 1000) }, new Date(now.getTime() - 1000));
        await store.createSession({ idHash: 's-1', userId: 'u-chair', expiresAt: in1h }, now);
        expect(await store.getSession('s-1')).toEqual({ idHash: 's-1', userId: 'u-chair', createdAt: now, expiresAt: in1h });
        expect(await store.getSession('s-missing')).toBeUndefined();

        // A session created later forgets the ones expired by then.
        expect(await store.getSession('s-old')).toBeDefined();
        await store.createSession({ idHash: 's-2', userId: 'u-chair', expiresAt: in1h }, new Date(now.getTime() + 2000));
        expect(await store.getSession('s-old')).toBeUndefined();

        const in2h = new Date(now.getTime() + 2 * HOUR);
        await store.extendSession('s-1', in2h);
        expect((await store.getSession('s-1'))?.expiresAt).toEqual(in2h);

        await store.createSession({ idHash: 's-3', userId: 'u-chair', expiresAt: in1h }, now);
        await store.createSession({ idHash: 's-ana', userId: 'u-ana', expiresAt: in1h }, now);
        expect((await store.deleteUserSessions('u-chair', 's-2')).sort()).toEqual(['s-1', 's-3']);
        expect(await store.getSession('s-2')).toBeDefined();
        expect(await store.getSession('s-ana')).toBeDefined();
        expect(await store.deleteUserSessions('u-chair')).toEqual(['s-2']);
        await store.deleteSession('s-ana');
        expect(await store.getSession('s-ana')).toBeUndefined();
      });

      it('makes password resets single-use, and a newer one replaces an older one', async () => {
        await chairWithGroup();
        await addUser('u-ana');
        const now = new Date();
        const expiresAt = new Date(now.getTime() + HOUR);
        await store.createPasswordReset({ tokenHash: 'r-1', userId: 'u-ana', expiresAt });
        expect(await store.getPasswordReset('r-1', now)).toMatchObject({ user: { id: 'u-ana' }, expiresAt });
        await store.createPasswordReset({ tokenHash: 'r-2', userId: 'u-ana', expiresAt });
        expect(await store.getPasswordReset('r-1', now)).toBeUndefined();
        expect(await store.completePasswordReset('r-1', 'h-never', now)).toBeUndefined();
        expect(await store.getPasswordReset('r-2', new Date(expiresAt.getTime() + 1))).toBeUndefined();
        expect(await store.completePasswordReset('r-2', 'h-late', new Date(expiresAt.getTime() + 1))).toBeUndefined();

        const results = await Promise.all([store.completePasswordReset('r-2', 'h-a', now), store.completePasswordReset('r-2', 'h-b', now)]);
        const used = results.filter((user) => user !== undefined);
        expect(used).toHaveLength(1);
        expect((await store.getUser('u-ana'))?.passwordHash).toBe(used[0]!.passwordHash);
        expect(await store.getPasswordReset('r-2', now)).toBeUndefined();
      });

      it('keeps personal access tokens per person', async () => {
        await chairWithGroup();
        await addUser('u-ana');
        const expiresAt = new Date(Date.now() + HOUR);
        const token = await store.createAccessToken({ id: 'tok-1', userId: 'u-ana', name: 'bot', tokenHash: 'th-1', prefix: 'cpat_ab', expiresAt, scopes: ['read'] });
        expect(token).toMatchObject({ id: 'tok-1', userId: 'u-ana', name: 'bot', prefix: 'cpat_ab', lastUsedAt: null, expiresAt, scopes: ['read'] });
        await sleep(5);
        await store.createAccessToken({ id: 'tok-2', userId: 'u-ana', name: 'ci', tokenHash: 'th-2', prefix: 'cpat_cd', expiresAt: null, scopes: ['admin', 'write', 'read'] });
        expect((await store.listAccessTokens('u-ana')).map((t) => [t.id, t.scopes])).toEqual([
          ['tok-2', ['read', 'write', 'admin']],
          ['tok-1', ['read']],
        ]);
        expect(await store.listAccessTokens('u-chair')).toEqual([]);
        expect((await store.getAccessTokenByHash('th-2'))?.expiresAt).toBeNull();
        expect(await store.getAccessTokenByHash('th-missing')).toBeUndefined();

        const usedAt = new Date(Date.now() + 1000);
        await store.touchAccessToken('tok-1', usedAt);
        expect((await store.getAccessTokenByHash('th-1'))?.lastUsedAt).toEqual(usedAt);

        expect(await store.deleteAccessToken('u-chair', 'tok-1')).toBe(false);
        expect(await store.deleteAccessToken('u-ana', 'tok-1')).toBe(true);
        expect(await store.getAccessTokenByHash('th-1')).toBeUndefined();
      });
    });

    describe('groups', () => {
      it('creates groups with their creator as co-chair, lists, renames and counts members', async () => {
        const { chair, group } = await chairWithGroup();
        expect(await store.getGroup(group)).toMatchObject({ id: group, name: 'Working Group on Strategy', description: 'Priorities' });
        expect(await store.getRole(group, chair)).toBe('co-chair');
        await store.createGroup({ id: 'g-alpha', name: 'alpha team', description: '', creatorId: chair });
        await addUser('u-ana', 'Ana');
        await addMember(group, 'u-ana', 'observer');

        const groups = await store.listGroupsForUser(chair);
        // By name, ignoring case.
        expect(groups.map((g) => [g.id, g.role, g.memberCount])).toEqual([
          ['g-alpha', 'co-chair', 1],
          [group, 'co-chair', 2],
        ]);
        expect((await store.listGroupsForUser('u-ana')).map((g) => [g.id, g.role])).toEqual([[group, 'observer']]);

        expect(await store.updateGroup(group, { name: 'WG Strategy' })).toMatchObject({ name: 'WG Strategy', description: 'Priorities' });
        expect(await store.updateGroup(group, { description: 'New' })).toMatchObject({ name: 'WG Strategy', description: 'New' });
        expect(await store.updateGroup('g-missing', { name: 'x' })).toBeUndefined();
        expect(await store.getGroup('g-missing')).toBeUndefined();
        expect(await store.getRole(group, 'u-nobody')).toBeUndefined();
      });

      it('changes roles and removes members, but never the last co-chair', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana', 'ana');
        await addUser('u-ben', 'Ben');
        await addMember(group, 'u-ana', 'member');
        await addMember(group, 'u-ben', 'secretariat');
        expect((await store.listMembers(group)).map((m) => [m.userId, m.name, m.email, m.role])).toEqual([
          ['u-ana', 'ana', 'u-ana@example.org', 'member'],
          ['u-ben', 'Ben', 'u-ben@example.org', 'secretariat'],
          [chair, 'Chair', 'chair@example.org', 'co-chair'],
        ]);

        expect(await store.setMemberRole(group, chair, 'member')).toEqual({ status: 'last_co_chair' });
        expect(await store.removeMember(group, chair)).toEqual({ status: 'last_co_chair' });
        expect(await store.setMemberRole(group, 'u-nobody', 'member')).toEqual({ status: 'not_member' });
        expect(await store.setMemberRole(group, 'u-ana', 'co-chair')).toEqual({ status: 'changed', previousRole: 'member' });
        expect(await store.setMemberRole(group, chair, 'co-chair')).toEqual({ status: 'changed', previousRole: 'co-chair' });
        expect(await store.removeMember(group, chair)).toEqual({ status: 'changed', previousRole: 'co-chair' });
        expect(await store.getRole(group, chair)).toBeUndefined();
        expect(await store.removeMember(group, 'u-ana')).toEqual({ status: 'last_co_chair' });
        expect(await store.removeMember(group, 'u-ben')).toEqual({ status: 'changed', previousRole: 'secretariat' });
        expect(await store.removeMember(group, 'u-ben')).toEqual({ status: 'not_member' });
      });

      it('never lets two co-chairs step down at once', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana');
        await addMember(group, 'u-ana', 'co-chair');
        const results = await Promise.all([store.setMemberRole(group, chair, 'member'), store.removeMember(group, 'u-ana')]);
        expect(results.map((r) => r.status).sort()).toEqual(['changed', 'last_co_chair']);
        expect((await store.listMembers(group)).filter((m) => m.role === 'co-chair')).toHaveLength(1);
      });

      it('keeps invites: pending list, revocation, single use, expiry', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana');
        await addUser('u-ben');
        const now = new Date();
        const expiresAt = new Date(now.getTime() + HOUR);
        const invite = await store.createInvite({ id: 'i-1', groupId: group, role: 'member', tokenHash: 'tk-1', note: 'for Ana', createdBy: chair, expiresAt });
        expect(invite).toMatchObject({
          id: 'i-1',
          groupId: group,
          groupName: 'Working Group on Strategy',
          role: 'member',
          note: 'for Ana',
          createdBy: chair,
          createdByName: 'Chair',
          expiresAt,
          usedAt: null,
          revokedAt: null,
        });
        await sleep(5);
        await store.createInvite({ id: 'i-2', groupId: group, role: 'observer', tokenHash: 'tk-2', note: '', createdBy: chair, expiresAt });
        await store.createInvite({ id: 'i-old', groupId: group, role: 'observer', tokenHash: 'tk-old', note: '', createdBy: chair, expiresAt: new Date(now.getTime() - 1) });
        expect((await store.listPendingInvites(group, now)).map((i) => i.id)).toEqual(['i-2', 'i-1']);
        expect(await store.getInviteByHash('tk-1')).toEqual(invite);
        expect(await store.getInviteByHash('tk-missing')).toBeUndefined();

        expect(await store.redeemInvite('tk-missing', 'u-ana', now)).toEqual({ status: 'invalid' });
        expect(await store.redeemInvite('tk-old', 'u-ana', now)).toEqual({ status: 'invalid' });
        expect(await store.redeemInvite('tk-1', chair, now)).toEqual({ status: 'already_member', groupId: group });
        expect((await store.getInviteByHash('tk-1'))?.usedAt).toBeNull();
        expect(await store.redeemInvite('tk-1', 'u-ana', now)).toEqual({ status: 'joined', groupId: group, role: 'member' });
        expect(await store.getRole(group, 'u-ana')).toBe('member');
        expect((await store.getInviteByHash('tk-1'))?.usedAt).toEqual(now);
        expect(await store.redeemInvite('tk-1', 'u-ben', now)).toEqual({ status: 'invalid' });

        expect(await store.revokeInvite('g-other', 'i-2')).toBe(false);
        expect(await store.revokeInvite(group, 'i-2')).toBe(true);
        expect(await store.revokeInvite(group, 'i-2')).toBe(false);
        expect(await store.revokeInvite(group, 'i-1')).toBe(false);
        expect((await store.getInviteByHash('tk-2'))?.revokedAt).toBeInstanceOf(Date);
        expect(await store.redeemInvite('tk-2', 'u-ben', now)).toEqual({ status: 'invalid' });
        expect(await store.listPendingInvites(group, now)).toEqual([]);
      });

      it('admits exactly one person when two redeem one invite at once', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana');
        await addUser('u-ben');
        const now = new Date();
        await store.createInvite({ id: 'i-1', groupId: group, role: 'secretariat', tokenHash: 'tk-1', note: '', createdBy: chair, expiresAt: new Date(now.getTime() + HOUR) });
        const results = await Promise.all([store.redeemInvite('tk-1', 'u-ana', now), store.redeemInvite('tk-1', 'u-ben', now)]);
        expect(results.map((r) => r.status).sort()).toEqual(['invalid', 'joined']);
        expect((await store.listMembers(group)).map((m) => m.userId).sort()).toEqual(['u-chair', results[0].status === 'joined' ? 'u-ana' : 'u-ben'].sort());
      });

      it('deletes a group with its memberships, invites, documents and their content', async () => {
        const { chair, group } = await chairWithGroup();
        await store.createGroup({ id: 'g-keep', name: 'Keep', description: '', creatorId: chair });
        await store.createDocument({ id: 'd-1', title: 'One', groupId: group });
        await store.createDocument({ id: 'd-2', title: 'Two', groupId: group });
        await store.createDocument({ id: 'd-keep', title: 'Kept', groupId: 'g-keep' });
        for (const id of ['d-1', 'd-2', 'd-keep']) await store.appendUpdate(id, updateInsertingText(id));
        await store.compact('d-1');
        await store.createThread(newThread('th-1', 'd-1', chair));
        await store.createInvite({ id: 'i-1', groupId: group, role: 'member', tokenHash: 'tk-1', note: '', createdBy: chair, expiresAt: new Date(Date.now() + HOUR) });

        expect((await store.deleteGroup(group)).sort()).toEqual(['d-1', 'd-2']);
        expect(await store.getGroup(group)).toBeUndefined();
        expect(await store.getRole(group, chair)).toBeUndefined();
        expect(await store.getInviteByHash('tk-1')).toBeUndefined();
        expect(await store.getDocument('d-1')).toBeUndefined();
        expect(await store.loadContent('d-1')).toEqual({ snapshot: null, updates: [] });
        expect(await store.loadContent('d-2')).toEqual({ snapshot: null, updates: [] });
        expect(await store.listThreads('d-1')).toEqual([]);
        expect((await store.loadContent('d-keep')).updates).toHaveLength(1);
        expect(await store.deleteGroup('g-missing')).toEqual([]);
      });
    });

    describe('comments', () => {
      it('keeps threads with comments, mentions, edits, deletions, resolutions and reopenings', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana', 'Ana');
        await addUser('u-ben', 'Ben');
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        await store.createDocument({ id: 'd-2', title: 'Other', groupId: group });
        await store.createThread({
          id: 'th-1',
          documentId: 'd-1',
          anchorStart: 'AAE=',
          anchorEnd: 'AAI=',
          quote: 'the quoted text',
          comment: { id: 'c-1', authorId: 'u-ana', body: 'Please reword @Ben', mentionIds: ['u-ben', 'u-ben'] },
        });
        await store.addComment('th-1', { id: 'c-2', authorId: 'u-ben', body: 'Agreed', mentionIds: [] });
        await store.addComment('th-1', { id: 'c-3', authorId: chair, body: 'Noted', mentionIds: ['u-ana', 'u-ben'] });
        await store.createThread({ ...newThread('th-2', 'd-1', chair), stance: 'concern' });
        expect((await store.getThread('d-1', 'th-2'))?.stance).toBe('concern');

        const thread = await store.getThread('d-1', 'th-1');
        expect(thread).toMatchObject({
          id: 'th-1',
          documentId: 'd-1',
          author: { id: 'u-ana', name: 'Ana' },
          anchorStart: 'AAE=',
          anchorEnd: 'AAI=',
          quote: 'the quoted text',
          stance: null,
          resolution: null,
          events: [],
        });
        // Comments in the order they were written, even within one millisecond.
        expect(thread!.comments.map((c) => [c.id, c.author.name, c.body, c.editedAt, c.deletedAt])).toEqual([
          ['c-1', 'Ana', 'Please reword @Ben', null, null],
          ['c-2', 'Ben', 'Agreed', null, null],
          ['c-3', 'Chair', 'Noted', null, null],
        ]);
        expect(thread!.comments[0].mentions).toEqual([{ id: 'u-ben', name: 'Ben' }]);
        expect(sortedPeople(thread!.comments[2].mentions)).toEqual([{ id: 'u-ana', name: 'Ana' }, { id: 'u-ben', name: 'Ben' }]);
        expect((await store.listThreads('d-1')).map((t) => t.id).sort()).toEqual(['th-1', 'th-2']);
        expect(await store.listThreads('d-2')).toEqual([]);
        expect(await store.getThread('d-2', 'th-1')).toBeUndefined();

        await store.editComment('c-3', { body: 'Noted, thanks', mentionIds: ['u-ana'] });
        const edited = (await store.getThread('d-1', 'th-1'))!.comments[2];
        expect(edited).toMatchObject({ body: 'Noted, thanks', mentions: [{ id: 'u-ana', name: 'Ana' }] });
        expect(edited.editedAt).toBeInstanceOf(Date);

        expect(await store.deleteComment('th-1', 'c-1')).toEqual({ status: 'traced' });
        const traced = (await store.getThread('d-1', 'th-1'))!.comments[0];
        expect(traced).toMatchObject({ id: 'c-1', body: '', mentions: [] });
        expect(traced.deletedAt).toBeInstanceOf(Date);

        await store.resolveThread('th-1', { disposition: 'partly-incorporated', reason: 'in para 3', byId: chair });
        const resolved = (await store.getThread('d-1', 'th-1'))!;
        expect(resolved.resolution).toMatchObject({ disposition: 'partly-incorporated', reason: 'in para 3', by: { id: chair, name: 'Chair' } });
        expect(resolved.resolution!.at).toBeInstanceOf(Date);
        await store.reopenThread('th-1', chair);
        await store.updateProfile(chair, { name: 'Chair (renamed)' });
        const reopened = (await store.getThread('d-1', 'th-1'))!;
        expect(reopened.resolution).toBeNull();
        expect(reopened.events.map((e) => [e.kind, e.by.name, e.disposition, e.reason])).toEqual([
          ['resolved', 'Chair (renamed)', 'partly-incorporated', 'in para 3'],
          ['reopened', 'Chair (renamed)', null, ''],
        ]);

        expect(await store.deleteComment('th-1', 'c-2')).toEqual({ status: 'traced' });
        expect(await store.deleteComment('th-1', 'c-3')).toEqual({ status: 'thread-deleted' });
        expect(await store.getThread('d-1', 'th-1')).toBeUndefined();
        expect((await store.listThreads('d-1')).map((t) => t.id)).toEqual(['th-2']);
      });

      it('removes a thread when its last two comments are deleted at once', async () => {
        const { chair, group } = await chairWithGroup();
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        await store.createThread(newThread('th-1', 'd-1', chair));
        await store.addComment('th-1', { id: 'c-2', authorId: chair, body: 'second', mentionIds: [] });
        const results = await Promise.all([store.deleteComment('th-1', 'c-th-1'), store.deleteComment('th-1', 'c-2')]);
        expect(results.map((r) => r.status).sort()).toEqual(['thread-deleted', 'traced']);
        expect(await store.getThread('d-1', 'th-1')).toBeUndefined();
      });
    });

    describe('versions', () => {
      it('stores versions with their state, newest first, with the contributors since the one before (for a named version: the named one before)', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana', 'Ana');
        await addUser('u-ben', 'Ben');
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        const doc = new Y.Doc();
        const text = doc.getText('body');
        // Each person types with their own Yjs client id.
        const typeAs = async (userId: string, clientId: number, edit: () => void) => {
          doc.clientID = clientId;
          const updates: Uint8Array[] = [];
          const collect = (update: Uint8Array) => updates.push(update);
          doc.on('update', collect);
          edit();
          doc.off('update', collect);
          await store.appendUpdate('d-1', Y.mergeUpdates(updates), { clients: [{ clientId, userId }], deletions: [] });
        };
        await typeAs('u-ana', 11, () => text.insert(0, 'Ana wrote this. '));
        const first = await store.createVersion({
          id: 'v-1',
          documentId: 'd-1',
          kind: 'named',
          name: 'First reading',
          note: 'as tabled',
          meetingDate: '2026-11-20',
          title: 'Draft',
          state: Y.encodeStateAsUpdate(doc),
          createdById: chair,
        });
        expect(first).toMatchObject({
          id: 'v-1',
          documentId: 'd-1',
          kind: 'named',
          name: 'First reading',
          note: 'as tabled',
          meetingDate: '2026-11-20',
          title: 'Draft',
          createdBy: { id: chair, name: 'Chair' },
          contributors: [{ id: 'u-ana', name: 'Ana' }],
          deletionMark: 0,
        });

        await typeAs('u-ben', 22, () => text.insert(text.length, 'Ben added this.'));
        await store.appendUpdate('d-1', updateInsertingText('unrelated', 99), {
          clients: [],
          deletions: [{ clientId: 11, clock: 0, length: 3, userId: chair }],
        });
        const secondState = Y.encodeStateAsUpdate(doc);
        const checkpoint = (id: string) => ({ id, documentId: 'd-1', kind: 'checkpoint' as const, name: '', note: '', meetingDate: null, title: 'Draft', state: secondState, createdById: null });
        const second = await store.createVersion(checkpoint('v-2'));
        expect(sortedPeople(second.contributors)).toEqual([{ id: 'u-ben', name: 'Ben' }, { id: chair, name: 'Chair' }].sort((a, b) => a.id.localeCompare(b.id)));
        expect(second.createdBy).toBeNull();
        expect(second.deletionMark).toBeGreaterThan(0);
        const attribution = await store.loadAttribution('d-1', { afterDeletion: first.deletionMark, uptoDeletion: second.deletionMark });
        expect(attribution.deletions).toEqual([{ clientId: 11, clock: 0, length: 3, userId: chair }]);

        // Nothing new since v-2: no contributors.
        const third = await store.createVersion(checkpoint('v-3'));
        expect(third.contributors).toEqual([]);
        expect(third.deletionMark).toBe(second.deletionMark);
        // A named version counts from the last named one, whatever checkpoints came between.
        const named = await store.createVersion({ ...checkpoint('v-4'), kind: 'named', name: 'Second reading', createdById: chair });
        expect(sortedPeople(named.contributors)).toEqual(sortedPeople(second.contributors));

        expect((await store.listVersions('d-1')).map((v) => v.id)).toEqual(['v-4', 'v-3', 'v-2', 'v-1']);
        expect(await store.listVersions('d-missing')).toEqual([]);
        const stored = await store.getVersion('d-1', 'v-2');
        expect(stored?.record).toEqual(second);
        expect([...stored!.state]).toEqual([...secondState]);
        expect(await store.getVersion('d-missing', 'v-2')).toBeUndefined();
        await store.updateProfile('u-ana', { name: 'Ana B.' });
        expect((await store.getVersion('d-1', 'v-1'))?.record.contributors).toEqual([{ id: 'u-ana', name: 'Ana B.' }]);
      });
    });

    describe('citations', () => {
      it('keeps which documents cite which source paragraphs, replaced whole, gone with the document', async () => {
        const { group } = await chairWithGroup();
        await store.createDocument({ id: 'd-src', title: 'Options Paper', groupId: group, kind: 'source', citeAs: 'Options Paper' });
        await store.createDocument({ id: 'd-a', title: 'Response A', groupId: group });
        await store.createDocument({ id: 'd-b', title: 'Response B', groupId: group });
        await store.replaceCitations('d-a', [{ sourceId: 'd-src', pid: 'V.4' }, { sourceId: 'd-src', pid: 'V.4' }, { sourceId: 'd-src', pid: 'IV.2' }, { sourceId: 'd-other', pid: 'x' }]);
        await store.replaceCitations('d-b', [{ sourceId: 'd-src', pid: 'V.4' }]);
        expect(await store.listCitations('d-src')).toEqual([
          { documentId: 'd-a', pid: 'IV.2' },
          { documentId: 'd-a', pid: 'V.4' },
          { documentId: 'd-b', pid: 'V.4' },
        ]);
        await store.replaceCitations('d-a', [{ sourceId: 'd-src', pid: 'VIII.1' }]);
        await store.deleteDocument('d-b');
        // A late index of a deleted document adds nothing.
        await store.replaceCitations('d-b', [{ sourceId: 'd-src', pid: 'V.4' }]);
        expect(await store.listCitations('d-src')).toEqual([{ documentId: 'd-a', pid: 'VIII.1' }]);
        expect(await store.listCitations('d-other')).toEqual([]);
      });
    });

    describe('priority rounds', () => {
      it('creates, lists, replaces indications atomically, closes, and goes with its source', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-amrita', 'Amrita');
        await store.createDocument({ id: 'd-src', title: 'Options Paper', groupId: group, kind: 'source', citeAs: 'Options Paper' });
        const round = await store.createRound({ id: 'r-1', sourceId: 'd-src', title: 'Priorities', maxChoices: 3, closesAt: null, includeObservers: false, secret: true, createdBy: chair });
        expect(round).toMatchObject({ id: 'r-1', sourceId: 'd-src', maxChoices: 3, closesAt: null, includeObservers: false, secret: true, createdBy: { id: chair, name: 'Chair' }, closedAt: null });
        await sleep(5);
        const later = new Date(Date.now() + HOUR);
        await store.createRound({ id: 'r-2', sourceId: 'd-src', title: 'Second', maxChoices: 1, closesAt: later, includeObservers: true, secret: false, createdBy: chair });
        expect((await store.listRounds('d-src')).map((r) => r.id)).toEqual(['r-2', 'r-1']);
        expect((await store.getRound('d-src', 'r-2'))?.closesAt?.getTime()).toBe(later.getTime());
        expect(await store.getRound('d-other', 'r-2')).toBeUndefined();

        const now = new Date();
        expect(await store.replaceIndications('r-1', 'u-amrita', ['V.4', 'IV.2'], now)).toBe('ok');
        expect(await store.replaceIndications('r-1', chair, ['V.4'], now)).toBe('ok');
        // A new indication replaces the person's whole previous one.
        expect(await store.replaceIndications('r-1', 'u-amrita', ['V.1', 'V.4'], now)).toBe('ok');
        const pairs = async () => (await store.listIndications('r-1')).map((i) => `${i.name}:${i.pid}`).sort();
        expect(await pairs()).toEqual(['Amrita:V.1', 'Amrita:V.4', 'Chair:V.4']);
        // Two at once from one person: one of them wins whole.
        await Promise.all([store.replaceIndications('r-1', 'u-amrita', ['A', 'B'], now), store.replaceIndications('r-1', 'u-amrita', ['C', 'D'], now)]);
        const amrita = (await store.listIndications('r-1')).filter((i) => i.userId === 'u-amrita').map((i) => i.pid).sort();
        expect([['A', 'B'], ['C', 'D']]).toContainEqual(amrita);
        expect(await store.replaceIndications('r-missing', 'u-amrita', ['A'], now)).toBe('not_found');

        const closed = await store.closeRound('r-1', new Date(now.getTime() + 1000));
        expect(closed?.closedAt?.getTime()).toBe(now.getTime() + 1000);
        expect((await store.closeRound('r-1', new Date(now.getTime() + 5000)))?.closedAt?.getTime()).toBe(now.getTime() + 1000);
        expect(await store.replaceIndications('r-1', chair, ['V.1'], now)).toBe('closed');
        expect(await pairs()).toContain('Chair:V.4');
        // A round past its closing time takes nothing either.
        expect(await store.replaceIndications('r-2', chair, ['V.1'], new Date(later.getTime() + 1))).toBe('closed');

        expect(await store.deleteDocument('d-src')).toBe(true);
        expect(await store.listRounds('d-src')).toEqual([]);
        expect(await store.listIndications('r-1')).toEqual([]);
      });
    });

    describe('assignments', () => {
      it('assigns a thread with a due date, lists open assigned threads of groups the person is in, and clears', async () => {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana', 'Ana');
        await addMember(group, 'u-ana', 'member');
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        await store.createThread(newThread('th-1', 'd-1', chair));
        await store.createThread(newThread('th-2', 'd-1', chair));
        await store.createThread(newThread('th-3', 'd-1', chair));
        await store.assignThread('th-1', { assigneeId: 'u-ana', dueDate: null, byId: chair });
        await store.assignThread('th-2', { assigneeId: 'u-ana', dueDate: '2030-05-01', byId: chair });
        await store.assignThread('th-3', { assigneeId: 'u-ana', dueDate: '2030-04-01', byId: chair });
        const th2 = (await store.getThread('d-1', 'th-2'))!;
        expect(th2.assignment).toMatchObject({ assignee: { id: 'u-ana', name: 'Ana' }, dueDate: '2030-05-01', by: { id: chair, name: 'Chair' } });
        expect(th2.assignment!.at).toBeInstanceOf(Date);
        // Due first, undated last; resolved threads leave the list.
        expect((await store.listAssignedThreads('u-ana')).map((t) => t.threadId)).toEqual(['th-3', 'th-2', 'th-1']);
        await store.resolveThread('th-3', { disposition: 'incorporated', reason: '', byId: chair });
        const assigned = await store.listAssignedThreads('u-ana');
        expect(assigned.map((t) => t.threadId)).toEqual(['th-2', 'th-1']);
        expect(assigned[0]).toMatchObject({ quote: 'quote', firstComment: 'first', dueDate: '2030-05-01', assignedBy: { id: chair, name: 'Chair' }, document: { id: 'd-1', title: 'Draft', groupId: group, groupName: 'Working Group on Strategy' } });
        await store.assignThread('th-2', null);
        expect((await store.getThread('d-1', 'th-2'))!.assignment).toBeNull();
        expect((await store.listAssignedThreads('u-ana')).map((t) => t.threadId)).toEqual(['th-1']);
        // Someone who left the group no longer sees the group's threads as theirs.
        await store.removeMember(group, 'u-ana');
        expect(await store.listAssignedThreads('u-ana')).toEqual([]);
      });
    });

    describe('notifications', () => {
      const note = (id: string, userId: string, extra: Partial<NewNotification> = {}): NewNotification => ({
        id,
        userId,
        kind: 'mention',
        documentId: 'd-1',
        threadId: null,
        commentId: null,
        actorId: 'u-chair',
        excerpt: `excerpt ${id}`,
        detail: '',
        dedupeKey: `key-${id}`,
        email: null,
        ...extra,
      });
      async function groupWithDocument() {
        const { chair, group } = await chairWithGroup();
        await addUser('u-ana', 'Ana');
        await addMember(group, 'u-ana', 'observer');
        await store.createDocument({ id: 'd-1', title: 'Draft', groupId: group });
        return { chair, group };
      }

      it("keeps a person's notifications once per key, newest first, with unread counts and marking read", async () => {
        const { group } = await groupWithDocument();
        await store.createThread(newThread('th-1', 'd-1', 'u-chair'));
        const at = (ms: number) => new Date(Date.now() + ms);
        expect(await store.addNotifications([note('n-1', 'u-ana', { threadId: 'th-1', commentId: 'c-th-1' })], at(0))).toEqual(['n-1']);
        expect(await store.addNotifications([note('n-2', 'u-ana', { kind: 'version', detail: '2nd Draft' }), note('n-1b', 'u-ana', { dedupeKey: 'key-n-1' })], at(10))).toEqual(['n-2']);
        await store.addNotifications([note('n-3', 'u-chair')], at(20));
        const listed = await store.listNotifications('u-ana', { limit: 10 });
        expect(listed.map((n) => n.id)).toEqual(['n-2', 'n-1']);
        expect(listed[1]).toMatchObject({
          userId: 'u-ana',
          kind: 'mention',
          document: { id: 'd-1', title: 'Draft', kind: 'draft', groupId: group, groupName: 'Working Group on Strategy' },
          role: 'observer',
          threadId: 'th-1',
          commentId: 'c-th-1',
          actor: { id: 'u-chair', name: 'Chair' },
          excerpt: 'excerpt n-1',
          readAt: null,
        });
        expect(listed[0].detail).toBe('2nd Draft');
        expect(await store.listNotifications('u-ana', { limit: 1 })).toHaveLength(1);
        expect(await store.countUnreadNotifications('u-ana')).toBe(2);
        expect(await store.markNotificationsRead('u-ana', ['n-1', 'n-3'], new Date())).toBe(1);
        expect(await store.countUnreadNotifications('u-ana')).toBe(1);
        expect((await store.listNotifications('u-ana', { limit: 10, unreadOnly: true })).map((n) => n.id)).toEqual(['n-2']);
        expect(await store.markNotificationsRead('u-ana', 'all', new Date())).toBe(1);
        expect(await store.countUnreadNotifications('u-ana')).toBe(0);
        expect(await store.countUnreadNotifications('u-chair')).toBe(1);
      });

      it('shows a notification only while the person may read it: member of the group, thread and comment still there', async () => {
        const { chair, group } = await groupWithDocument();
        await store.createThread(newThread('th-1', 'd-1', chair));
        await store.addComment('th-1', { id: 'c-2', authorId: chair, body: 'second', mentionIds: ['u-ana'] });
        await store.createThread(newThread('th-2', 'd-1', chair));
        await store.addNotifications(
          [note('n-1', 'u-ana', { threadId: 'th-1', commentId: 'c-2' }), note('n-2', 'u-ana', { threadId: 'th-2', commentId: 'c-th-2' }), note('n-3', 'u-ana', { kind: 'version' })],
          new Date(),
        );
        expect((await store.listNotifications('u-ana', { limit: 10 })).map((n) => n.id).sort()).toEqual(['n-1', 'n-2', 'n-3']);
        await store.deleteComment('th-1', 'c-2');
        await store.deleteComment('th-2', 'c-th-2');
        expect((await store.listNotifications('u-ana', { limit: 10 })).map((n) => n.id)).toEqual(['n-3']);
        await store.removeMember(group, 'u-ana');
        expect(await store.listNotifications('u-ana', { limit: 10 })).toEqual([]);
        expect(await store.countUnreadNotifications('u-ana')).toBe(0);
        expect(await store.deleteDocument('d-1')).toBe(true);
      });

      it('queues e-mail: one claim per delivery until its lease runs out, retries, failures and digests that collect until claimed', async () => {
        await groupWithDocument();
        const t0 = Date.now();
        const at = (ms: number) => new Date(t0 + ms);
        await store.addNotifications([note('n-1', 'u-ana', { email: { kind: 'immediate' } })], at(0));
        await store.addNotifications(
          [note('n-2', 'u-ana', { kind: 'reply', email: { kind: 'digest', dueAt: at(HOUR) } }), note('n-3', 'u-ana', { kind: 'version', email: { kind: 'digest', dueAt: at(2 * HOUR) } })],
          at(0),
        );
        expect((await store.listEmailDeliveries('u-ana')).map((d) => [d.kind, d.state, d.dueAt.getTime()])).toEqual([
          ['immediate', 'queued', t0],
          ['digest', 'collecting', t0 + HOUR],
        ]);
        expect(await store.nextEmailDueAt()).toEqual(at(0));

        const first = (await store.claimEmailDelivery('p-1', at(0), 60_000))!;
        expect(first).toMatchObject({ kind: 'immediate', attempts: 1, recipient: { id: 'u-ana', name: 'Ana', email: 'u-ana@example.org', disabled: false } });
        expect(first.notifications.map((n) => n.id)).toEqual(['n-1']);
        // Held: nobody else gets it, nor the digest (not due yet).
        expect(await store.claimEmailDelivery('p-2', at(1000), 60_000)).toBeUndefined();
        // The lease ran out (its sender died): another sender takes it over; the first one can no longer finish it.
        const again = (await store.claimEmailDelivery('p-2', at(60_000), 60_000))!;
        expect(again).toMatchObject({ id: first.id, attempts: 2 });
        expect(await store.finishEmailDelivery(first.id, 'p-1', { state: 'sent' }, at(60_001))).toBe(false);
        // Only the holder renews its lease; a renewed lease keeps others away.
        expect(await store.renewEmailLease(first.id, 'p-1', at(200_000))).toBe(false);
        expect(await store.renewEmailLease(first.id, 'p-2', at(130_000))).toBe(true);
        expect(await store.claimEmailDelivery('p-3', at(125_000), 60_000)).toBeUndefined();
        expect(await store.retryEmailDelivery(first.id, 'p-2', at(70_000), '421 try later')).toBe(true);
        expect(await store.claimEmailDelivery('p-2', at(69_999), 60_000)).toBeUndefined();
        const third = (await store.claimEmailDelivery('p-3', at(70_000), 60_000))!;
        expect(third).toMatchObject({ id: first.id, attempts: 3, lastError: '421 try later' });
        expect(await store.finishEmailDelivery(first.id, 'p-3', { state: 'sent' }, at(70_001))).toBe(true);
        expect(await store.finishEmailDelivery(first.id, 'p-3', { state: 'sent' }, at(70_002))).toBe(false);

        // A digest is sealed when claimed: what comes later collects in a new one.
        expect(await store.releaseDigests('u-chair', at(80_000))).toBe(0);
        expect(await store.releaseDigests('u-ana', at(80_000))).toBe(1);
        const digest = (await store.claimEmailDelivery('p-1', at(80_000), 60_000))!;
        expect(digest).toMatchObject({ kind: 'digest', attempts: 1 });
        expect(digest.notifications.map((n) => n.id)).toEqual(['n-2', 'n-3']);
        await store.addNotifications([note('n-4', 'u-ana', { kind: 'reply', email: { kind: 'digest', dueAt: at(HOUR) } })], at(80_001));
        expect(await store.finishEmailDelivery(digest.id, 'p-1', { state: 'failed', error: '550 no such mailbox' }, at(80_002))).toBe(true);
        const deliveries = await store.listEmailDeliveries('u-ana');
        expect(deliveries.map((d) => [d.kind, d.state, d.lastError])).toEqual([
          ['immediate', 'sent', '421 try later'],
          ['digest', 'failed', '550 no such mailbox'],
          ['digest', 'collecting', null],
        ]);
        expect(deliveries[1].finishedAt).toEqual(at(80_002));
        expect(await store.nextEmailDueAt()).toEqual(at(HOUR));

        // Old finished deliveries and old notifications are forgotten; what is still to send stays.
        expect(await store.pruneNotifications(at(80_002), at(0))).toEqual({ deliveries: 1, notifications: 0 });
        expect((await store.listEmailDeliveries('u-ana')).map((d) => d.state)).toEqual(['failed', 'collecting']);
        expect(await store.pruneNotifications(at(2 * HOUR), at(80_001))).toEqual({ deliveries: 1, notifications: 3 });
        expect((await store.listEmailDeliveries('u-ana')).map((d) => d.state)).toEqual(['collecting']);
        expect((await store.listNotifications('u-ana', { limit: 10 })).map((n) => n.id)).toEqual(['n-4']);
      });

      it('lists rounds closing within a time (for reminders) and keeps reminders as notifications', async () => {
        const { chair, group } = await groupWithDocument();
        await store.createDocument({ id: 'd-src', title: 'Options Paper', groupId: group, kind: 'source', citeAs: 'Options Paper' });
        const now = Date.now();
        const round = (id: string, closesAt: number | null) =>
          store.createRound({ id, sourceId: 'd-src', title: id, maxChoices: 1, closesAt: closesAt === null ? null : new Date(closesAt), includeObservers: false, secret: false, createdBy: chair });
        await round('r-soon', now + HOUR);
        await round('r-sooner', now + 1000);
        await round('r-later', now + 48 * HOUR);
        await round('r-never', null);
        await round('r-closed', now + 2 * HOUR);
        await store.closeRound('r-closed', new Date());
        await round('r-past', now - 1000);
        expect((await store.listRoundsClosingBetween(new Date(now), new Date(now + 24 * HOUR))).map((r) => r.id)).toEqual(['r-sooner', 'r-soon']);
        expect(await store.addNotifications([note('n-r', 'u-ana', { kind: 'round-closing', documentId: 'd-src' })], new Date())).toEqual(['n-r']);
        expect((await store.listNotifications('u-ana', { limit: 5 }))[0].kind).toBe('round-closing');
      });

      it('gives each delivery to one of many senders claiming at once', async () => {
        await groupWithDocument();
        const now = new Date();
        await store.addNotifications(
          ['a', 'b', 'c', 'd', 'e'].map((id) => note(`n-${id}`, 'u-ana', { email: { kind: 'immediate' } })),
          now,
        );
        const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => store.claimEmailDelivery(`p-${i}`, now, 60_000)));
        const claimed = claims.filter((c) => c !== undefined).map((c) => c.id);
        expect(claimed).toHaveLength(5);
        expect(new Set(claimed).size).toBe(5);
      });

      it('keeps e-mail settings per person (defaults until changed) and one secret per name', async () => {
        await groupWithDocument();
        expect(await store.getNotificationSettings('u-ana')).toEqual({ immediate: true, digest: 'daily', emailOff: false, muted: [] });
        expect(await store.updateNotificationSettings('u-ana', { digest: 'hourly' })).toEqual({ immediate: true, digest: 'hourly', emailOff: false, muted: [] });
        await store.updateNotificationSettings('u-ana', { emailOff: true, immediate: false, muted: ['reply', 'version', 'reply'] });
        expect(await store.getNotificationSettings('u-ana')).toEqual({ immediate: false, digest: 'hourly', emailOff: true, muted: ['reply', 'version'] });
        expect((await store.updateNotificationSettings('u-ana', { digest: 'daily' })).muted).toEqual(['reply', 'version']);
        expect(await store.getNotificationSettings('u-chair')).toEqual({ immediate: true, digest: 'daily', emailOff: false, muted: [] });
        expect(await store.serverSecret('unsubscribe', 'first')).toBe('first');
        // Visits: each returns the one before.
        const t1 = new Date(Date.now() - HOUR);
        expect(await store.recordVisit('u-ana', 'd-1', t1)).toBeNull();
        expect(await store.recordVisit('u-ana', 'd-1', new Date())).toEqual(t1);
        expect(await store.recordVisit('u-chair', 'd-1', new Date())).toBeNull();
        expect(await store.serverSecret('unsubscribe', 'second')).toBe('first');
      });
    });
  });
}

/** An update that inserts `text` into a fresh document (under `clientId`, if given). */
export function updateInsertingText(text: string, clientId?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientId !== undefined) doc.clientID = clientId;
  doc.getText('body').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

function newThread(id: string, documentId: string, authorId: string) {
  return { id, documentId, anchorStart: 'AAE=', anchorEnd: 'AAI=', quote: 'quote', comment: { id: `c-${id}`, authorId, body: 'first', mentionIds: [] } };
}

function newVersion(id: string, documentId: string, state: Uint8Array, createdById: string) {
  return { id, documentId, kind: 'named' as const, name: id, note: '', meetingDate: null, title: 'Draft', state, createdById };
}

function sortedPeople(people: { id: string; name: string }[]) {
  return [...people].sort((a, b) => a.id.localeCompare(b.id));
}

import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgresStore, openSqliteStore, type Store } from '../../server/src/store/index';
import { copySqliteToPostgres } from '../../server/src/store/sqlite-to-postgres';
import { docFromStored } from '../helpers/clients';
import { tempDataDir } from '../helpers/server';
import { updateInsertingText } from './contract';
import { createTestSchema, type TestSchema } from '../helpers/postgres';

const HOUR = 3_600_000;
const NOW = new Date();
/** Lets the clock move on, so lists ordered by time have no ties. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

/** An installation with rows in every table, written through the Store API. */
async function fillSqliteStore(path: string): Promise<void> {
  const store = openSqliteStore({ path });
  await store.createUser({ id: 'u-chair', email: 'chair@example.org', name: 'Chair', passwordHash: 'h-chair', onlyIfFirst: true });
  await tick();
  await store.createUser({ id: 'u-ana', email: 'ana@example.org', name: 'Ana', passwordHash: 'h-ana', onlyIfFirst: false });
  await store.createSession({ idHash: 's-1', userId: 'u-ana', expiresAt: new Date(NOW.getTime() + HOUR) }, NOW);
  await store.createAccessToken({ id: 'tok-1', userId: 'u-chair', name: 'bot', tokenHash: 'th-1', prefix: 'cpat_ab', expiresAt: null, scopes: ['read', 'admin'] });
  await store.touchAccessToken('tok-1', NOW);
  await store.createPasswordReset({ tokenHash: 'r-1', userId: 'u-ana', expiresAt: new Date(NOW.getTime() + HOUR) });

  await store.createGroup({ id: 'g-1', name: 'Strategy', description: 'Priorities', creatorId: 'u-chair' });
  await store.createGroup({ id: 'g-2', name: 'Budget', description: '', creatorId: 'u-chair' });
  await store.createInvite({ id: 'i-used', groupId: 'g-1', role: 'member', tokenHash: 'tk-used', note: 'Ana', createdBy: 'u-chair', expiresAt: new Date(NOW.getTime() + HOUR) });
  await store.redeemInvite('tk-used', 'u-ana', NOW);
  await store.createInvite({ id: 'i-open', groupId: 'g-1', role: 'observer', tokenHash: 'tk-open', note: '', createdBy: 'u-chair', expiresAt: new Date(NOW.getTime() + HOUR) });

  await store.createDocument({ id: 'd-log', title: 'With a log', groupId: 'g-1' });
  await store.createDocument({ id: 'd-folded', title: 'Compacted', groupId: 'g-1' });
  await store.createDocument({ id: 'd-source', title: 'Options Paper', groupId: 'g-2', kind: 'source', citeAs: 'Options Paper' });
  await store.updateDocument('d-source', { archived: true, final: { by: 'u-chair' } });
  // d-log keeps its updates; d-folded is compacted last, so its snapshot's upto_seq is above every
  // seq left in the log: new updates must be numbered after it.
  await tick();
  await store.appendUpdate('d-log', updateInsertingText('log one', 1), { clients: [{ clientId: 1, userId: 'u-ana' }], deletions: [] });
  const folded = new Y.Doc();
  folded.clientID = 2;
  const foldedUpdates: Uint8Array[] = [];
  folded.on('update', (update: Uint8Array) => foldedUpdates.push(update));
  folded.getText('body').insert(0, 'Compacted text. ');
  folded.getText('body').delete(0, 3);
  await tick();
  for (const update of foldedUpdates) {
    await store.appendUpdate('d-folded', update, { clients: [{ clientId: 2, userId: 'u-chair' }], deletions: [{ clientId: 2, clock: 0, length: 3, userId: 'u-chair' }] });
  }
  await store.createVersion({
    id: 'v-1',
    documentId: 'd-folded',
    kind: 'named',
    name: 'First',
    note: 'n',
    meetingDate: '2026-11-20',
    title: 'Compacted',
    state: Y.encodeStateAsUpdate(folded),
    createdById: 'u-chair',
  });
  expect(await store.compact('d-folded')).toBe(2);

  const anchors = { anchorStart: 'AAE=', anchorEnd: 'AAI=' };
  await store.createThread({ id: 'th-1', documentId: 'd-log', ...anchors, quote: 'log', comment: { id: 'c-1', authorId: 'u-ana', body: 'Hi @Chair', mentionIds: ['u-chair'] } });
  await store.addComment('th-1', { id: 'c-2', authorId: 'u-chair', body: 'Reply', mentionIds: [] });
  await store.editComment('c-2', { body: 'Reply, edited', mentionIds: ['u-ana'] });
  await store.addComment('th-1', { id: 'c-3', authorId: 'u-ana', body: 'Gone', mentionIds: [] });
  await store.deleteComment('th-1', 'c-3');
  await store.resolveThread('th-1', { disposition: 'incorporated', reason: 'done', byId: 'u-chair' });
  await store.createThread({ id: 'th-2', documentId: 'd-source', ...anchors, quote: 'src', stance: 'question', comment: { id: 'c-4', authorId: 'u-chair', body: '?', mentionIds: [] } });
  await store.createRound({ id: 'r-1', sourceId: 'd-source', title: 'Priorities', maxChoices: 2, closesAt: new Date(NOW.getTime() + HOUR), includeObservers: true, secret: false, createdBy: 'u-chair' });
  await store.replaceIndications('r-1', 'u-ana', ['V.4', 'IV.2'], NOW);
  await store.closeRound('r-1', NOW);
  await store.replaceCitations('d-log', [{ sourceId: 'd-source', pid: 'V.4' }]);
  await store.assignThread('th-2', { assigneeId: 'u-chair', dueDate: '2026-12-01', byId: 'u-chair' });
  const notification = { documentId: 'd-log', threadId: 'th-1', actorId: 'u-chair', excerpt: 'Reply', detail: '' };
  await store.addNotifications(
    [
      { ...notification, id: 'n-1', userId: 'u-ana', kind: 'mention', commentId: 'c-2', dedupeKey: 'k-1', email: { kind: 'immediate' } },
      { ...notification, id: 'n-2', userId: 'u-ana', kind: 'reply', commentId: 'c-2', dedupeKey: 'k-2', email: { kind: 'digest', dueAt: new Date(NOW.getTime() + HOUR) } },
    ],
    NOW,
  );
  await store.markNotificationsRead('u-ana', ['n-1'], NOW);
  await store.updateNotificationSettings('u-ana', { digest: 'hourly', emailOff: true, muted: ['round'] });
  await store.serverSecret('unsubscribe', 'secret');
  await store.recordVisit('u-ana', 'd-log', NOW);
  await store.close();

  // A document from before groups existed (no API creates those any more).
  const db = new Database(path);
  db.prepare("INSERT INTO documents (id, title, created_at, updated_at) VALUES ('d-old', 'Before groups', 1, 1)").run();
  db.close();
}

/** Everything the Store API reads back about the installation. */
async function readEverything(store: Store) {
  const documentIds = ['d-log', 'd-folded', 'd-source', 'd-old'];
  return {
    users: await store.listUsers(),
    user: await store.getUserByEmail('ana@example.org'),
    session: await store.getSession('s-1'),
    tokens: await store.listAccessTokens('u-chair'),
    token: await store.getAccessTokenByHash('th-1'),
    reset: await store.getPasswordReset('r-1', NOW),
    groups: await store.listGroupsForUser('u-chair'),
    group: await store.getGroup('g-1'),
    members: await store.listMembers('g-1'),
    pendingInvites: await store.listPendingInvites('g-1', NOW),
    usedInvite: await store.getInviteByHash('tk-used'),
    documents: await Promise.all(documentIds.map((id) => store.getDocument(id))),
    active: await store.listDocuments({ archived: false, groupIds: ['g-1', 'g-2'] }),
    archived: await store.listDocuments({ archived: true, groupIds: ['g-1', 'g-2'] }),
    content: await Promise.all(documentIds.map((id) => store.loadContent(id))),
    attribution: await Promise.all(documentIds.map((id) => store.loadAttribution(id, { afterDeletion: 0, uptoDeletion: null }))),
    threads: await Promise.all(documentIds.map((id) => store.listThreads(id))),
    versions: await store.listVersions('d-folded'),
    version: await store.getVersion('d-folded', 'v-1'),
    rounds: await store.listRounds('d-source'),
    indications: await store.listIndications('r-1'),
    citations: await store.listCitations('d-source'),
    notifications: await store.listNotifications('u-ana', { limit: 10 }),
    deliveries: await store.listEmailDeliveries('u-ana'),
    settings: await store.getNotificationSettings('u-ana'),
    assigned: await store.listAssignedThreads('u-chair'),
    secret: await store.serverSecret('unsubscribe', 'other'),
  };
}

describe('migrating an installation from SQLite to PostgreSQL', () => {
  let sqlitePath: string;
  let schema: TestSchema;
  beforeAll(async () => {
    sqlitePath = join(tempDataDir(), 'concord.sqlite');
    await fillSqliteStore(sqlitePath);
    schema = await createTestSchema();
  });
  afterAll(async () => {
    await schema.drop();
  });

  it('copies every table, and PostgreSQL reads back what SQLite held', async () => {
    const copied = await copySqliteToPostgres({ sqlitePath, connectionString: schema.connectionString });
    expect(copied).toEqual({
      users: 2,
      working_groups: 2,
      documents: 4,
      document_updates: 1,
      document_snapshots: 1,
      sessions: 1,
      access_tokens: 1,
      memberships: 3,
      invites: 2,
      password_resets: 1,
      threads: 2,
      comments: 4,
      comment_mentions: 2,
      thread_events: 1,
      document_clients: 2,
      document_deletions: 2,
      document_versions: 1,
      priority_rounds: 1,
      priority_indications: 2,
      document_citations: 1,
      email_deliveries: 2,
      notifications: 2,
      notification_settings: 1,
      server_secrets: 1,
      document_visits: 1,
    });

    const sqlite = openSqliteStore({ path: sqlitePath });
    const postgres = await openPostgresStore({ connectionString: schema.connectionString });
    try {
      const expected = await readEverything(sqlite);
      expect(await readEverything(postgres)).toEqual(expected);
      // Spot checks that the comparison compared something.
      expect(expected.users.map((u) => [u.id, u.isAdmin])).toEqual([
        ['u-chair', true],
        ['u-ana', false],
      ]);
      expect(expected.token?.scopes).toEqual(['read', 'admin']);
      expect(expected.threads[0][0].comments.map((c) => c.id)).toEqual(['c-1', 'c-2', 'c-3']);
      expect(docFromStored(expected.content[1]).getText('body').toString()).toBe('pacted text. ');
      expect(expected.rounds.map((r) => [r.id, r.includeObservers, r.closedAt?.getTime()])).toEqual([['r-1', true, NOW.getTime()]]);
      expect(expected.indications.map((i) => i.pid)).toEqual(['V.4', 'IV.2']);
      expect(expected.citations).toEqual([{ documentId: 'd-log', pid: 'V.4' }]);
      expect(expected.notifications.map((n) => [n.id, n.readAt !== null])).toEqual([
        ['n-2', false],
        ['n-1', true],
      ]);
      expect(expected.deliveries.map((d) => d.state)).toEqual(['queued', 'collecting']);
      expect(expected.settings).toEqual({ immediate: true, digest: 'hourly', emailOff: true, muted: ['round'] });
      expect(expected.assigned.map((t) => [t.threadId, t.dueDate])).toEqual([['th-2', '2026-12-01']]);
      expect(expected.secret).toBe('secret');
      expect(await postgres.recordVisit('u-ana', 'd-log', new Date())).toEqual(NOW);

      // Sequences continue after SQLite's: a new update of the compacted document is loaded…
      await postgres.appendUpdate('d-folded', updateInsertingText('new', 3), {
        clients: [{ clientId: 3, userId: 'u-ana' }],
        deletions: [{ clientId: 2, clock: 3, length: 1, userId: 'u-ana' }],
      });
      const content = await postgres.loadContent('d-folded');
      expect(content.updates).toHaveLength(1);
      // …a new deletion lies after the version's mark, a new comment comes last, and the
      // document from before groups can still be adopted.
      const [version] = await postgres.listVersions('d-folded');
      const since = await postgres.loadAttribution('d-folded', { afterDeletion: version.deletionMark, uptoDeletion: null });
      expect(since.deletions).toEqual([{ clientId: 2, clock: 3, length: 1, userId: 'u-ana' }]);
      await postgres.reopenThread('th-1', 'u-chair');
      await postgres.addComment('th-1', { id: 'c-5', authorId: 'u-ana', body: 'After the move', mentionIds: [] });
      const thread = await postgres.getThread('d-log', 'th-1');
      expect(thread?.comments.map((c) => c.id)).toEqual(['c-1', 'c-2', 'c-3', 'c-5']);
      expect(thread?.events.map((e) => e.kind)).toEqual(['resolved', 'reopened']);
      expect(await postgres.adoptUngroupedDocuments('g-1')).toBe(1);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });

  it('refuses a database that already has data', async () => {
    await expect(copySqliteToPostgres({ sqlitePath, connectionString: schema.connectionString })).rejects.toThrow(/already has data/);
  });

  it('runs as npm run migrate-to-postgres', async () => {
    const target = await createTestSchema();
    try {
      const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'migrate-to-postgres', '--', '--sqlite', sqlitePath, '--database-url', target.connectionString]);
      expect(stdout).toContain('users: 2 rows');
      expect(stdout).toContain('document_versions: 1 rows');
      const store = await openPostgresStore({ connectionString: target.connectionString });
      expect((await store.getDocument('d-source'))?.citeAs).toBe('Options Paper');
      await store.close();
    } finally {
      await target.drop();
    }
  });
});

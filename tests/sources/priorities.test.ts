/**
 * Priority rounds on a source paper through the real server: only co-chairs open and close
 * rounds; who may indicate (observers only when the round says so); at most the allowed number
 * of proposals, and only paragraphs of the source; nothing changes once the round has closed (by
 * hand or by its closing time); the tally groups proposals by number of indications as the
 * group's own annex does, and a secret round never says who indicated what.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListParagraphsResponse, ListRoundsResponse, RoundView, SourceParagraph, SourceSummary, Tally } from '../../shared/api/index';
import { addMember, api, apiOk, type Owner, type TestAccount } from '../helpers/accounts';
import { sleep } from '../helpers/clients';
import { startTestServer, type TestServer } from '../helpers/server';

const PRIORITIES = readFileSync(join(import.meta.dirname, '../../../shared/samples/wg-priorities-from-options-paper.txt'), 'utf8');

let server: TestServer;
let chair: Owner;
let amrita: TestAccount;
let jorge: TestAccount;
let observer: TestAccount;
let sourceId: string;
let paragraphs: SourceParagraph[];

/** The pid of the first paragraph with this label. */
const pid = (label: string): string => {
  const found = paragraphs.find((paragraph) => paragraph.label === label);
  if (!found) throw new Error(`no paragraph labelled ${label}`);
  return found.pid;
};
const roundsPath = () => `/api/sources/${sourceId}/rounds`;
const openRound = (body: Record<string, unknown>, as: TestAccount = chair) => api<RoundView>(server.url, as.auth, 'POST', roundsPath(), body);
const indicate = (roundId: string, as: TestAccount, labels: string[]) => api<RoundView>(server.url, as.auth, 'PUT', `${roundsPath()}/${roundId}/indications`, { pids: labels.map(pid) });

beforeAll(async () => {
  server = await startTestServer();
  chair = server.owner;
  amrita = await addMember(server.url, chair.auth, chair.groupId, 'member', 'Amrita');
  jorge = await addMember(server.url, chair.auth, chair.groupId, 'member', 'Jorge');
  observer = await addMember(server.url, chair.auth, chair.groupId, 'observer', 'Coalition X');
  const source = await apiOk<SourceSummary>(server.url, chair.auth, 'POST', '/api/sources/import', { groupId: chair.groupId, format: 'text', content: PRIORITIES, citeAs: 'Options Paper' }, 201);
  sourceId = source.id;
  paragraphs = (await apiOk<ListParagraphsResponse>(server.url, chair.auth, 'GET', `/api/sources/${sourceId}/paragraphs`)).paragraphs;
});

afterAll(async () => {
  await server.stop();
});

describe('a priority round', () => {
  it('is opened by co-chairs only, and its limits and eligibility hold on the server', async () => {
    expect((await openRound({ title: 'Priorities', maxChoices: 3 }, amrita)).status).toBe(403);
    expect((await openRound({ title: 'Priorities', maxChoices: 0 })).status).toBe(400);
    expect((await openRound({ title: 'Priorities', maxChoices: 3, closesAt: new Date(Date.now() - 60_000).toISOString() })).status).toBe(400);
    const opened = await openRound({ title: 'Proposals for further action', maxChoices: 3 });
    expect(opened.status).toBe(201);
    const round = opened.body;
    expect(round).toMatchObject({ status: 'open', maxChoices: 3, secret: false, includeObservers: false, participants: 0, eligible: true, mine: [] });

    // Observers may not indicate in this round; nobody may indicate more than three, or what is not in the source.
    expect((await indicate(round.id, observer, ['V.4'])).status).toBe(403);
    const tooMany = await indicate(round.id, amrita, ['V.4', 'IV.2', 'V.1', 'VIII.1']);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { fields: [{ path: 'pids' }] } });
    const unknown = await api(server.url, amrita.auth, 'PUT', `${roundsPath()}/${round.id}/indications`, { pids: ['no-such-paragraph'] });
    expect(unknown.status).toBe(400);

    const mine = await indicate(round.id, amrita, ['V.4', 'IV.2', 'V.1']);
    expect(mine.status).toBe(200);
    expect(mine.body.mine.sort()).toEqual([pid('V.4'), pid('IV.2'), pid('V.1')].sort());
    // Two requests at once from one person: one wins whole, never more than three.
    await Promise.all([indicate(round.id, amrita, ['V.4', 'IV.2', 'VII.1']), indicate(round.id, amrita, ['X.1', 'VIII.1'])]);
    const listed = await apiOk<ListRoundsResponse>(server.url, amrita.auth, 'GET', roundsPath());
    const after = listed.rounds.find((r) => r.id === round.id)!;
    expect([[pid('V.4'), pid('IV.2'), pid('VII.1')].sort(), [pid('X.1'), pid('VIII.1')].sort()]).toContainEqual([...after.mine].sort());
    await indicate(round.id, amrita, ['V.4', 'IV.2', 'V.1']);
    await indicate(round.id, jorge, ['V.4', 'IV.2']);
    await indicate(round.id, chair, ['V.4']);

    // No tally while open; only co-chairs close; nothing changes afterwards.
    expect((await api(server.url, amrita.auth, 'GET', `${roundsPath()}/${round.id}/tally`)).status).toBe(409);
    expect((await api(server.url, amrita.auth, 'POST', `${roundsPath()}/${round.id}/close`)).status).toBe(403);
    const closed = await apiOk<RoundView>(server.url, chair.auth, 'POST', `${roundsPath()}/${round.id}/close`);
    expect(closed).toMatchObject({ status: 'closed', participants: 3 });
    const late = await indicate(round.id, jorge, ['X.1']);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { code: 'round_closed' } });

    const tally = await apiOk<Tally>(server.url, observer.auth, 'GET', `${roundsPath()}/${round.id}/tally`);
    expect(tally).toMatchObject({ citeAs: 'Options Paper', participants: 3 });
    expect(tally.groups.map((group) => [group.indications, group.proposals.map((p) => p.label)])).toEqual([
      [3, ['V.4']],
      [2, ['IV.2']],
      [1, ['V.1']],
    ]);
    const top = tally.groups[0].proposals[0];
    expect(top.text).toMatch(/^V\.4\. On communication between different fora/);
    expect(top.indicatedBy).toEqual([chair.user.name, 'Amrita', 'Jorge'].sort((a, b) => a.localeCompare(b)));
  });

  it('closes by itself at its closing time; a secret round never says who indicated what; observers take part when invited', async () => {
    const round = (await openRound({ title: 'Secret round', maxChoices: 2, secret: true, includeObservers: true, closesAt: new Date(Date.now() + 1500).toISOString() })).body;
    expect((await indicate(round.id, observer, ['VIII.1'])).status).toBe(200);
    expect((await indicate(round.id, jorge, ['VIII.1', 'X.1'])).status).toBe(200);
    await sleep(1600);
    expect((await indicate(round.id, jorge, ['V.4'])).status).toBe(409);
    const tally = await apiOk<Tally>(server.url, amrita.auth, 'GET', `${roundsPath()}/${round.id}/tally`);
    expect(tally.groups.map((group) => [group.indications, group.proposals.map((p) => p.label)])).toEqual([
      [2, ['VIII.1']],
      [1, ['X.1']],
    ]);
    expect(tally.groups.flatMap((group) => group.proposals).every((p) => p.indicatedBy === null)).toBe(true);
    expect(JSON.stringify(tally)).not.toContain('Jorge');
  });

  it('is refused on drafts and to people outside the group', async () => {
    const draft = await apiOk<{ id: string }>(server.url, chair.auth, 'POST', '/api/documents', { groupId: chair.groupId, title: 'Draft' }, 201);
    expect((await api(server.url, chair.auth, 'POST', `/api/sources/${draft.id}/rounds`, { title: 'x', maxChoices: 1 })).status).toBe(404);
    const outsider = await addMember(server.url, chair.auth, chair.groupId, 'member', 'Leaving');
    await api(server.url, chair.auth, 'DELETE', `/api/groups/${chair.groupId}/members/${outsider.user.id}`);
    expect((await api(server.url, outsider.auth, 'GET', roundsPath())).status).toBe(403);
  });
});

import { Router } from 'express';
import {
  CreateRoundRequest,
  IndicateRequest,
  RoundId,
  type ListRoundsResponse,
  type Role,
  type RoundView,
  type Tally,
  type TallyProposal,
} from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { ApiError, parseInput } from '../http/index';
import { isRoundOpen, type DocumentRecord, type IndicationRecord, type PriorityRoundRecord, type Store } from '../store/index';
import type { Notifier } from '../notifications/index';
import type { RoomRegistry } from '../sync/index';
import { listParagraphs, proseMirrorOf, type LocatedParagraph } from './paragraphs';
import { readContent, requireSource } from './source-access';

/** Who may indicate in a round: everyone but observers, and observers too when the round says so. */
export function mayIndicate(role: Role, round: Pick<PriorityRoundRecord, 'includeObservers'>): boolean {
  return role !== 'observer' || round.includeObservers;
}

function toRoundView(round: PriorityRoundRecord, indications: readonly IndicationRecord[], viewer: { userId: string; role: Role }, now: Date): RoundView {
  return {
    id: round.id,
    sourceId: round.sourceId,
    title: round.title,
    maxChoices: round.maxChoices,
    closesAt: round.closesAt?.toISOString() ?? null,
    includeObservers: round.includeObservers,
    secret: round.secret,
    status: isRoundOpen(round, now) ? 'open' : 'closed',
    createdBy: round.createdBy.name,
    createdAt: round.createdAt.toISOString(),
    closedAt: round.closedAt?.toISOString() ?? (round.closesAt && round.closesAt <= now ? round.closesAt.toISOString() : null),
    participants: new Set(indications.map((indication) => indication.userId)).size,
    eligible: mayIndicate(viewer.role, round),
    mine: indications.filter((indication) => indication.userId === viewer.userId).map((indication) => indication.pid),
  };
}

/**
 * The tally of a closed round: proposals by number of indications, most first, each with the
 * heading it comes under; within a group in the order of the source.
 */
export function tallyOf(round: PriorityRoundRecord, source: DocumentRecord, paragraphs: readonly LocatedParagraph[], indications: readonly IndicationRecord[], now: Date): Tally {
  const byPid = new Map<string, string[]>();
  for (const { pid, name } of indications) byPid.set(pid, [...(byPid.get(pid) ?? []), name]);
  const groups = new Map<number, TallyProposal[]>();
  let section: string | null = null;
  for (const paragraph of paragraphs) {
    if (paragraph.kind === 'heading') section = paragraph.text;
    const names = byPid.get(paragraph.pid);
    if (!names) continue;
    const proposal: TallyProposal = {
      pid: paragraph.pid,
      label: paragraph.label,
      text: paragraph.text,
      section: paragraph.kind === 'heading' ? null : section,
      indicatedBy: round.secret ? null : [...names].sort((a, b) => a.localeCompare(b)),
    };
    groups.set(names.length, [...(groups.get(names.length) ?? []), proposal]);
  }
  return {
    roundId: round.id,
    title: round.title,
    sourceId: source.id,
    citeAs: source.citeAs ?? source.title,
    closedAt: (round.closedAt ?? round.closesAt ?? now).toISOString(),
    participants: new Set(indications.map((indication) => indication.userId)).size,
    groups: [...groups.entries()].sort(([a], [b]) => b - a).map(([count, proposals]) => ({ indications: count, proposals })),
  };
}

/** /api/sources/:id/rounds: priority rounds on a source (see shared/api/priorities.ts). */
export function priorityRoundRoutes({ store, registry, notifier }: { store: Store; registry: RoomRegistry; notifier: Notifier }): Router {
  const router = Router({ mergeParams: true });
  const sourceIdOf = (params: unknown) => (params as Record<string, string>).id;

  const findRound = async (source: DocumentRecord, rawRoundId: unknown): Promise<PriorityRoundRecord> => {
    const roundId = parseInput(RoundId, rawRoundId, 'roundId');
    const round = await store.getRound(source.id, roundId);
    if (!round) throw new ApiError(404, 'not_found', 'no such priority round on this source');
    return round;
  };
  const paragraphsOf = (source: DocumentRecord) => readContent({ store, registry }, source, (doc) => listParagraphs(proseMirrorOf(doc).pmDoc));

  router.post('/', async (request, response) => {
    const { user, record, role } = await requireSource(store, sourceIdOf(request.params), response, 'resolve');
    const body = parseInput(CreateRoundRequest, request.body ?? {});
    const closesAt = body.closesAt === undefined ? null : new Date(body.closesAt);
    if (closesAt && closesAt.getTime() <= Date.now()) {
      throw new ApiError(400, 'invalid_request', 'closesAt must be in the future', [{ path: 'closesAt', message: 'must be in the future' }]);
    }
    const round = await store.createRound({
      id: newId(),
      sourceId: record.id,
      title: body.title,
      maxChoices: body.maxChoices,
      closesAt,
      includeObservers: body.includeObservers,
      secret: body.secret,
      createdBy: user.id,
    });
    await notifier.roundOpened(record, round, user.id);
    response.status(201).json(toRoundView(round, [], { userId: user.id, role }, new Date()));
  });

  router.get('/', async (request, response) => {
    const { user, record, role } = await requireSource(store, sourceIdOf(request.params), response, 'read');
    const now = new Date();
    const rounds = await store.listRounds(record.id);
    const views = await Promise.all(rounds.map(async (round) => toRoundView(round, await store.listIndications(round.id), { userId: user.id, role }, now)));
    const body: ListRoundsResponse = { rounds: views };
    response.json(body);
  });

  router.put('/:roundId/indications', async (request, response) => {
    const { user, record, role } = await requireSource(store, sourceIdOf(request.params), response, 'read');
    const round = await findRound(record, request.params.roundId);
    if (!mayIndicate(role, round)) throw new ApiError(403, 'forbidden', 'observers may not indicate priorities in this round');
    const { pids } = parseInput(IndicateRequest, request.body ?? {});
    const chosen = [...new Set(pids)];
    if (chosen.length > round.maxChoices) {
      throw new ApiError(400, 'invalid_request', `at most ${round.maxChoices} proposals may be indicated in this round`, [
        { path: 'pids', message: `at most ${round.maxChoices}` },
      ]);
    }
    const known = new Set((await paragraphsOf(record)).map((paragraph) => paragraph.pid));
    const unknown = chosen.filter((pid) => !known.has(pid));
    if (unknown.length > 0) {
      throw new ApiError(400, 'invalid_request', `not paragraphs of this source: ${unknown.join(', ')}`, [{ path: 'pids', message: 'not paragraphs of this source' }]);
    }
    const now = new Date();
    const result = await store.replaceIndications(round.id, user.id, chosen, now);
    if (result === 'closed') throw new ApiError(409, 'round_closed', 'this round has closed; indications can no longer change');
    if (result === 'not_found') throw new ApiError(404, 'not_found', 'no such priority round on this source');
    response.json(toRoundView(round, await store.listIndications(round.id), { userId: user.id, role }, now));
  });

  router.post('/:roundId/close', async (request, response) => {
    const { user, record, role } = await requireSource(store, sourceIdOf(request.params), response, 'resolve');
    const round = await findRound(record, request.params.roundId);
    const now = new Date();
    const closed = isRoundOpen(round, now) ? ((await store.closeRound(round.id, now)) ?? round) : round;
    response.json(toRoundView(closed, await store.listIndications(round.id), { userId: user.id, role }, now));
  });

  router.get('/:roundId/tally', async (request, response) => {
    const { record } = await requireSource(store, sourceIdOf(request.params), response, 'read');
    const round = await findRound(record, request.params.roundId);
    const now = new Date();
    if (isRoundOpen(round, now)) throw new ApiError(409, 'round_open', 'the tally is shown once the round has closed');
    response.json(tallyOf(round, record, await paragraphsOf(record), await store.listIndications(round.id), now));
  });

  return router;
}

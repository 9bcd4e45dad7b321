/** Typed calls to the priority rounds of a source paper (shared/api/priorities.ts). */
import '../zod-config';
import { ListRoundsResponse, RoundView, Tally, type CreateRoundRequest } from '../../../shared/api/index';
import { requestJson } from './http';

export type { RoundView, Tally, TallyProposal } from '../../../shared/api/index';

const rounds = (sourceId: string) => `/api/sources/${encodeURIComponent(sourceId)}/rounds`;
const round = (sourceId: string, roundId: string) => `${rounds(sourceId)}/${encodeURIComponent(roundId)}`;

/** The source's rounds, newest first. */
export async function listRounds(sourceId: string, signal?: AbortSignal): Promise<RoundView[]> {
  return (await requestJson(rounds(sourceId), ListRoundsResponse, { signal })).rounds;
}

export function createRound(sourceId: string, request: CreateRoundRequest): Promise<RoundView> {
  return requestJson(rounds(sourceId), RoundView, { method: 'POST', body: request });
}

/** Replaces the person's whole indication in the round. */
export function indicate(sourceId: string, roundId: string, pids: string[]): Promise<RoundView> {
  return requestJson(`${round(sourceId, roundId)}/indications`, RoundView, { method: 'PUT', body: { pids } });
}

export function closeRound(sourceId: string, roundId: string): Promise<RoundView> {
  return requestJson(`${round(sourceId, roundId)}/close`, RoundView, { method: 'POST' });
}

/** The tally of a closed round (409 `round_open` while it is open). */
export function getTally(sourceId: string, roundId: string, signal?: AbortSignal): Promise<Tally> {
  return requestJson(`${round(sourceId, roundId)}/tally`, Tally, { signal });
}

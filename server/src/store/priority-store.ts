/**
 * Storage contract for priority rounds on a source paper: a co-chair opens a round ("indicate up
 * to 12 proposals"), each eligible person marks paragraphs of the source (their indications), and
 * once the round is closed its tally is public to the group.
 */
export interface PriorityRoundRecord {
  id: string;
  sourceId: string;
  title: string;
  /** Most paragraphs one person may indicate. */
  maxChoices: number;
  /** When it closes by itself (null: only when closed by hand). */
  closesAt: Date | null;
  /** Observers may indicate too (members, secretariat and co-chairs always may). */
  includeObservers: boolean;
  /** Who indicated what is never shown, only the counts. */
  secret: boolean;
  createdBy: { id: string; name: string };
  createdAt: Date;
  /** When a co-chair closed it by hand. */
  closedAt: Date | null;
}

export interface IndicationRecord {
  userId: string;
  name: string;
  pid: string;
}

export type ReplaceIndicationsResult = 'ok' | 'closed' | 'not_found';

export interface PriorityStore {
  createRound(round: Omit<PriorityRoundRecord, 'createdBy' | 'createdAt' | 'closedAt'> & { createdBy: string }): Promise<PriorityRoundRecord>;
  /** The source's rounds, newest first. */
  listRounds(sourceId: string): Promise<PriorityRoundRecord[]>;
  getRound(sourceId: string, roundId: string): Promise<PriorityRoundRecord | undefined>;
  /** Rounds not closed by hand whose closing time is after `from` and at or before `to` (reminders), soonest first. */
  listRoundsClosingBetween(from: Date, to: Date): Promise<PriorityRoundRecord[]>;
  /** Closes it by hand at `now` (a round already closed keeps its time). */
  closeRound(roundId: string, now: Date): Promise<PriorityRoundRecord | undefined>;
  /**
   * Makes `pids` the person's whole indication in the round, atomically, unless the round is
   * closed at `now` (by hand or by its closing time): then nothing changes.
   */
  replaceIndications(roundId: string, userId: string, pids: readonly string[], now: Date): Promise<ReplaceIndicationsResult>;
  /** Every indication of the round, with the person's current name. */
  listIndications(roundId: string): Promise<IndicationRecord[]>;
}

/** Whether a round takes indications at `now`. */
export function isRoundOpen(round: Pick<PriorityRoundRecord, 'closedAt' | 'closesAt'>, now: Date): boolean {
  return round.closedAt === null && (round.closesAt === null || round.closesAt.getTime() > now.getTime());
}

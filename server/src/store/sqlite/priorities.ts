import type Database from 'better-sqlite3';
import type { PriorityStore, ReplaceIndicationsResult } from '../priority-store';
import { SELECT_ROUNDS, toRound, type RoundRow } from '../rows/priorities';

/** Priority rounds and indications in SQLite. */
export function sqlitePriorities(db: Database.Database): PriorityStore {
  const statements = {
    insert: db.prepare(
      `INSERT INTO priority_rounds (id, source_id, title, max_choices, closes_at, include_observers, secret, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    get: db.prepare(`${SELECT_ROUNDS} WHERE priority_rounds.id = ?`),
    closingBetween: db.prepare(
      `${SELECT_ROUNDS} WHERE priority_rounds.closed_at IS NULL AND priority_rounds.closes_at > ? AND priority_rounds.closes_at <= ? ORDER BY priority_rounds.closes_at, priority_rounds.rowid`,
    ),
    getOfSource: db.prepare(`${SELECT_ROUNDS} WHERE priority_rounds.source_id = ? AND priority_rounds.id = ?`),
    list: db.prepare(`${SELECT_ROUNDS} WHERE priority_rounds.source_id = ? ORDER BY priority_rounds.created_at DESC, priority_rounds.rowid DESC`),
    close: db.prepare('UPDATE priority_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL'),
    deleteMine: db.prepare('DELETE FROM priority_indications WHERE round_id = ? AND user_id = ?'),
    insertIndication: db.prepare('INSERT OR IGNORE INTO priority_indications (round_id, user_id, pid, created_at) VALUES (?, ?, ?, ?)'),
    indications: db.prepare(
      `SELECT priority_indications.user_id AS userId, users.name AS name, priority_indications.pid AS pid
         FROM priority_indications JOIN users ON users.id = priority_indications.user_id
        WHERE round_id = ? ORDER BY priority_indications.created_at, priority_indications.rowid`,
    ),
  };
  const getRecord = (id: string) => {
    const row = statements.get.get(id) as RoundRow | undefined;
    return row && toRound(row);
  };
  const replace = db.transaction((roundId: string, userId: string, pids: readonly string[], now: number): ReplaceIndicationsResult => {
    const row = statements.get.get(roundId) as RoundRow | undefined;
    if (!row) return 'not_found';
    if (row.closed_at !== null || (row.closes_at !== null && row.closes_at <= now)) return 'closed';
    statements.deleteMine.run(roundId, userId);
    for (const pid of pids) statements.insertIndication.run(roundId, userId, pid, now);
    return 'ok';
  });

  return {
    async createRound(round) {
      statements.insert.run(
        round.id,
        round.sourceId,
        round.title,
        round.maxChoices,
        round.closesAt?.getTime() ?? null,
        round.includeObservers ? 1 : 0,
        round.secret ? 1 : 0,
        round.createdBy,
        Date.now(),
      );
      return getRecord(round.id)!;
    },
    async listRounds(sourceId) {
      return (statements.list.all(sourceId) as RoundRow[]).map(toRound);
    },
    async listRoundsClosingBetween(from, to) {
      return (statements.closingBetween.all(from.getTime(), to.getTime()) as RoundRow[]).map(toRound);
    },
    async getRound(sourceId, roundId) {
      const row = statements.getOfSource.get(sourceId, roundId) as RoundRow | undefined;
      return row && toRound(row);
    },
    async closeRound(roundId, now) {
      statements.close.run(now.getTime(), roundId);
      return getRecord(roundId);
    },
    async replaceIndications(roundId, userId, pids, now) {
      return replace(roundId, userId, pids, now.getTime());
    },
    async listIndications(roundId) {
      return statements.indications.all(roundId) as { userId: string; name: string; pid: string }[];
    },
  };
}

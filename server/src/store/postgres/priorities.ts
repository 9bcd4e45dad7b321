import type pg from 'pg';
import type { PriorityStore } from '../priority-store';
import { SELECT_ROUNDS, toRound, type RoundRow } from '../rows/priorities';
import { Rollback, transaction } from './pool';

/** Priority rounds and indications in PostgreSQL. */
export function postgresPriorities(pool: pg.Pool): PriorityStore {
  const getRecord = async (id: string) => {
    const { rows } = await pool.query<RoundRow>(`${SELECT_ROUNDS} WHERE priority_rounds.id = $1`, [id]);
    return rows[0] && toRound(rows[0]);
  };
  return {
    async createRound(round) {
      await pool.query(
        `INSERT INTO priority_rounds (id, source_id, title, max_choices, closes_at, include_observers, secret, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [round.id, round.sourceId, round.title, round.maxChoices, round.closesAt?.getTime() ?? null, round.includeObservers, round.secret, round.createdBy, Date.now()],
      );
      return (await getRecord(round.id))!;
    },
    async listRounds(sourceId) {
      const { rows } = await pool.query<RoundRow>(`${SELECT_ROUNDS} WHERE priority_rounds.source_id = $1 ORDER BY priority_rounds.created_at DESC, priority_rounds.seq DESC`, [sourceId]);
      return rows.map(toRound);
    },
    async listRoundsClosingBetween(from, to) {
      const { rows } = await pool.query<RoundRow>(
        `${SELECT_ROUNDS} WHERE priority_rounds.closed_at IS NULL AND priority_rounds.closes_at > $1 AND priority_rounds.closes_at <= $2
          ORDER BY priority_rounds.closes_at, priority_rounds.seq`,
        [from.getTime(), to.getTime()],
      );
      return rows.map(toRound);
    },
    async getRound(sourceId, roundId) {
      const { rows } = await pool.query<RoundRow>(`${SELECT_ROUNDS} WHERE priority_rounds.source_id = $1 AND priority_rounds.id = $2`, [sourceId, roundId]);
      return rows[0] && toRound(rows[0]);
    },
    async closeRound(roundId, now) {
      await pool.query('UPDATE priority_rounds SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL', [now.getTime(), roundId]);
      return getRecord(roundId);
    },
    replaceIndications(roundId, userId, pids, now) {
      return transaction(pool, async (client) => {
        // The round's row lock orders this against closing it and against the person's other requests.
        const { rows } = await client.query<{ closed_at: number | null; closes_at: number | null }>(
          'SELECT closed_at, closes_at FROM priority_rounds WHERE id = $1 FOR UPDATE',
          [roundId],
        );
        if (!rows[0]) throw new Rollback('not_found' as const);
        if (rows[0].closed_at !== null || (rows[0].closes_at !== null && rows[0].closes_at <= now.getTime())) throw new Rollback('closed' as const);
        await client.query('DELETE FROM priority_indications WHERE round_id = $1 AND user_id = $2', [roundId, userId]);
        await client.query(
          `INSERT INTO priority_indications (round_id, user_id, pid, created_at)
           SELECT $1, $2, pid, $4 FROM unnest($3::text[]) AS pid ON CONFLICT DO NOTHING`,
          [roundId, userId, pids, now.getTime()],
        );
        return 'ok' as const;
      });
    },
    async listIndications(roundId) {
      const { rows } = await pool.query<{ userId: string; name: string; pid: string }>(
        `SELECT priority_indications.user_id AS "userId", users.name AS name, priority_indications.pid AS pid
           FROM priority_indications JOIN users ON users.id = priority_indications.user_id
          WHERE round_id = $1 ORDER BY priority_indications.created_at, priority_indications.seq`,
        [roundId],
      );
      return rows;
    },
  };
}

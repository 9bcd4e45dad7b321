import type { PriorityRoundRecord } from '../priority-store';

/** A row of SELECT_ROUNDS. */
export interface RoundRow {
  id: string;
  source_id: string;
  title: string;
  max_choices: number;
  closes_at: number | null;
  /** 0 or 1 in SQLite, a boolean in PostgreSQL. */
  include_observers: number | boolean;
  /** 0 or 1 in SQLite, a boolean in PostgreSQL. */
  secret: number | boolean;
  created_by: string;
  created_by_name: string;
  created_at: number;
  closed_at: number | null;
}

export const SELECT_ROUNDS = `SELECT priority_rounds.*, users.name AS created_by_name FROM priority_rounds JOIN users ON users.id = priority_rounds.created_by`;

export function toRound(row: RoundRow): PriorityRoundRecord {
  return {
    id: row.id,
    sourceId: row.source_id,
    title: row.title,
    maxChoices: row.max_choices,
    closesAt: row.closes_at === null ? null : new Date(row.closes_at),
    includeObservers: Boolean(row.include_observers),
    secret: Boolean(row.secret),
    createdBy: { id: row.created_by, name: row.created_by_name },
    createdAt: new Date(row.created_at),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
  };
}

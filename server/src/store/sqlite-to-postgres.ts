import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { migratePostgres } from './postgres/migrations';
import { createPool, transaction } from './postgres/pool';
import { openSqliteStore } from './sqlite/sqlite-store';

/**
 * Every table of the store, parents before children (foreign keys), with what to read from
 * SQLite. Comments and versions also get the rowid SQLite orders them by, as `seq`. Updates and
 * snapshots of documents that no longer exist have nothing to belong to in PostgreSQL (its log
 * cascades with the document), so they stay behind.
 */
const TABLES: readonly { name: string; select?: string }[] = [
  { name: 'users' },
  { name: 'working_groups' },
  { name: 'documents' },
  { name: 'document_updates', select: 'SELECT * FROM document_updates WHERE doc_id IN (SELECT id FROM documents)' },
  { name: 'document_snapshots', select: 'SELECT * FROM document_snapshots WHERE doc_id IN (SELECT id FROM documents)' },
  { name: 'sessions' },
  { name: 'access_tokens' },
  { name: 'memberships' },
  { name: 'invites' },
  { name: 'password_resets' },
  { name: 'threads' },
  { name: 'comments', select: 'SELECT rowid AS seq, * FROM comments' },
  { name: 'comment_mentions' },
  { name: 'thread_events' },
  { name: 'document_clients' },
  { name: 'document_deletions' },
  { name: 'document_versions', select: 'SELECT rowid AS seq, * FROM document_versions' },
  { name: 'priority_rounds', select: 'SELECT rowid AS seq, * FROM priority_rounds' },
  { name: 'priority_indications', select: 'SELECT rowid AS seq, * FROM priority_indications' },
  { name: 'document_citations', select: 'SELECT * FROM document_citations WHERE doc_id IN (SELECT id FROM documents)' },
  { name: 'email_deliveries', select: 'SELECT rowid AS seq, * FROM email_deliveries' },
  { name: 'notifications', select: 'SELECT rowid AS seq, * FROM notifications' },
  { name: 'notification_settings' },
  { name: 'server_secrets' },
  { name: 'document_visits', select: 'SELECT * FROM document_visits WHERE doc_id IN (SELECT id FROM documents)' },
];

/** Columns whose SQLite representation differs from PostgreSQL's (see postgres/migrations.ts). */
const CONVERSIONS: Record<string, (value: unknown) => unknown> = {
  'users.is_admin': (value) => value === 1,
  'access_tokens.scopes': (value) => JSON.parse(value as string),
  'document_versions.contributors': (value) => JSON.parse(value as string),
  'priority_rounds.include_observers': (value) => value === 1,
  'priority_rounds.secret': (value) => value === 1,
  'notification_settings.immediate': (value) => value === 1,
  'notification_settings.email_off': (value) => value === 1,
  'notification_settings.muted': (value) => JSON.parse(value as string),
};

/** Tables whose `seq` comes from an identity, to be continued after the copied values. */
const SEQUENCED = ['document_updates', 'thread_events', 'document_deletions', 'comments', 'document_versions', 'priority_rounds', 'priority_indications', 'email_deliveries', 'notifications'];

/** Rows per INSERT: few enough for the parameter limit (65535) and for a batch of large updates. */
const ROWS_PER_INSERT = 100;

/**
 * Copies an installation's SQLite database into an empty PostgreSQL database, keeping every id
 * and sequence number, in one transaction. Returns how many rows each table received. The SQLite
 * schema is brought up to date first (as starting the server would); run it with the servers stopped.
 */
export async function copySqliteToPostgres(options: { sqlitePath: string; connectionString: string }): Promise<Record<string, number>> {
  if (!existsSync(options.sqlitePath)) throw new Error(`no SQLite database at ${options.sqlitePath}`);
  await openSqliteStore({ path: options.sqlitePath }).close();
  const sqlite = new Database(options.sqlitePath, { readonly: true, fileMustExist: true });
  const pool = createPool(options.connectionString, () => {});
  try {
    await migratePostgres(pool);
    return await transaction(pool, async (client) => {
      await checkTablesMatch(sqlite, client);
      for (const { name } of TABLES) {
        const { rows } = await client.query<{ present: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${name}) AS present`);
        if (rows[0].present) throw new Error(`refusing to copy: the PostgreSQL database already has data (in ${name})`);
      }
      const copied: Record<string, number> = {};
      for (const table of TABLES) copied[table.name] = await copyTable(sqlite, client, table.name, table.select ?? `SELECT * FROM ${table.name}`);
      for (const name of SEQUENCED) await continueSequence(sqlite, client, name);
      return copied;
    });
  } finally {
    sqlite.close();
    await pool.end();
  }
}

/** Every SQLite table is one we copy, and every SQLite column has a place in PostgreSQL. */
async function checkTablesMatch(sqlite: Database.Database, client: pg.PoolClient): Promise<void> {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'")
    .all() as { name: string }[];
  const known = new Set(TABLES.map((t) => t.name));
  const unknown = tables.filter((t) => !known.has(t.name)).map((t) => t.name);
  if (unknown.length > 0) throw new Error(`don't know how to copy table(s) ${unknown.join(', ')}: update sqlite-to-postgres.ts`);
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
  );
  const postgresColumns = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  for (const { name } of TABLES) {
    for (const { name: column } of sqlite.prepare(`SELECT name FROM pragma_table_info('${name}')`).all() as { name: string }[]) {
      if (!postgresColumns.has(`${name}.${column}`)) throw new Error(`PostgreSQL has no column ${name}.${column}: its migrations are behind SQLite's`);
    }
  }
}

async function copyTable(sqlite: Database.Database, client: pg.PoolClient, table: string, select: string): Promise<number> {
  let count = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const columns = Object.keys(batch[0]);
    const conversions = columns.map((column) => CONVERSIONS[`${table}.${column}`] ?? ((value: unknown) => value));
    const values = batch.flatMap((row) => columns.map((column, c) => conversions[c](row[column])));
    const tuples = batch.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    count += batch.length;
    batch = [];
  };
  for (const row of sqlite.prepare(select).iterate() as IterableIterator<Record<string, unknown>>) {
    batch.push(row);
    if (batch.length === ROWS_PER_INSERT) await flush();
  }
  await flush();
  return count;
}

/**
 * New rows continue after the largest seq SQLite ever handed out. For AUTOINCREMENT tables that
 * is sqlite_sequence, which also counts rows deleted since (compacted updates: a snapshot's
 * upto_seq points past the rows that remain, and new updates must come after it).
 */
async function continueSequence(sqlite: Database.Database, client: pg.PoolClient, table: string): Promise<void> {
  const issued = sqlite.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
  const { rows } = await client.query<{ max: number }>(`SELECT coalesce(max(seq), 0) AS max FROM ${table}`);
  const next = Math.max(issued?.seq ?? 0, rows[0].max) + 1;
  await client.query(`SELECT setval(pg_get_serial_sequence($1, 'seq'), $2, false)`, [table, next]);
}

/**
 * npm run migrate-to-postgres -- --sqlite <path to concord.sqlite> --database-url <postgres://…>
 *
 * Copies an installation's SQLite database into an empty PostgreSQL database (ids and sequence
 * numbers kept). Stop the server first; afterwards start it with DATABASE_URL set.
 */
import { parseArgs } from 'node:util';
import { copySqliteToPostgres } from './sqlite-to-postgres';

const USAGE = 'usage: npm run migrate-to-postgres -- --sqlite <path to concord.sqlite> --database-url <postgres://…>';

const { values } = parseArgs({ options: { sqlite: { type: 'string' }, 'database-url': { type: 'string' } } });
if (values.sqlite === undefined || values['database-url'] === undefined) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const copied = await copySqliteToPostgres({ sqlitePath: values.sqlite, connectionString: values['database-url'] });
  for (const [table, rows] of Object.entries(copied)) console.log(`${table}: ${rows} rows`);
  console.log('done: start Concord with DATABASE_URL set to this database');
} catch (error) {
  console.error(`migration failed, nothing was copied: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

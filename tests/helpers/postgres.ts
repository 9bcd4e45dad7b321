import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the store tests use; each test works in a schema of its own there. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** TEST_DATABASE_URL with the schema as search_path, so everything lands in (and is read from) it. */
  connectionString: string;
  name: string;
  drop(): Promise<void>;
}

async function run(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty schema, so test files running in parallel (and runs that crashed) never meet. */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `concord_${randomBytes(6).toString('hex')}`;
  await run(`CREATE SCHEMA ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return { connectionString: url.toString(), name, drop: () => run(`DROP SCHEMA ${name} CASCADE`) };
}

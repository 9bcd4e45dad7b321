export type { DocStore, DocumentChanges, DocumentRecord, StoredContent } from './doc-store';
export { openSqliteStore } from './sqlite/sqlite-store';
export type { SqliteStoreOptions } from './sqlite/sqlite-store';
export type { SqliteSynchronous } from './sqlite/open';

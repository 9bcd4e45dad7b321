/** Which store errors mean "unavailable right now" (503 store_unavailable) rather than a failed request. */
import { expect, it } from 'vitest';
import { isStoreUnavailable } from '../../server/src/store/index';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

it('recognises hung, unreachable and full stores', () => {
  for (const code of ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DBMOVED', 'ENOSPC', 'EIO', 'EROFS', 'ECONNREFUSED', '57014', '57P01', '53100', '53300', '08006', '25P03']) {
    expect(isStoreUnavailable(withCode(code)), code).toBe(true);
  }
  for (const message of ['Query read timeout', 'timeout exceeded when trying to connect', 'Connection terminated unexpectedly', 'Connection terminated due to connection timeout', 'timeout expired']) {
    expect(isStoreUnavailable(new Error(message)), message).toBe(true);
  }
});

it('does not take errors of the request or of the code for an outage', () => {
  for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_FULLX', '23505', '42P01', '22P02']) {
    expect(isStoreUnavailable(withCode(code)), code).toBe(false);
  }
  expect(isStoreUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
  expect(isStoreUnavailable(undefined)).toBe(false);
  expect(isStoreUnavailable('SQLITE_FULL')).toBe(false);
});

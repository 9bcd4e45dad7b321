import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStore } from '../../server/src/store/index';
import { docFromStored } from '../helpers/clients';
import { tempDataDir } from '../helpers/server';

const DOC = 'AAAAAAAAAAAAAAAA';

it('compaction keeps every edit and gives the space of folded updates back to the disk', async () => {
  const path = join(tempDataDir(), 'concord.sqlite');
  const store = openSqliteStore({ path });
  await store.createDocument({ id: DOC, title: 'Priorities from the Options Paper' });
  const doc = new Y.Doc();
  const writes: Promise<void>[] = [];
  doc.on('update', (update: Uint8Array) => writes.push(store.appendUpdate(DOC, update)));
  const text = doc.getText('body');
  for (let i = 0; i < 5000; i++) text.insert(text.length, `V.${i % 12} `);
  text.delete(0, 1000); // deletions too, so the snapshot is smaller than the log
  await Promise.all(writes);

  expect(await store.compact(DOC)).toBe(5001);
  const content = await store.loadContent(DOC);
  expect(content.updates).toHaveLength(0);
  expect(docFromStored(content).getText('body').toString()).toBe(text.toString());
  await store.close();

  // What remains on disk is about the size of the document, not of its keystroke log.
  const stateBytes = Y.encodeStateAsUpdate(doc).length;
  expect(statSync(path).size).toBeLessThan(stateBytes * 2 + 64 * 1024);

  // And it reopens with the same content.
  const reopened = openSqliteStore({ path });
  expect(docFromStored(await reopened.loadContent(DOC)).getText('body').toString()).toBe(text.toString());
  expect((await reopened.getDocument(DOC))?.title).toBe('Priorities from the Options Paper');
  await reopened.close();
});

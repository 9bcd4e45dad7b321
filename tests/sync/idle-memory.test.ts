/** Once no document is loaded, the process collects its heap (twice: the garbage, then the emptied pages). */
import { afterEach, expect, it, vi } from 'vitest';
import { connectClient, waitFor, waitForSync } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

const collections = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../server/src/sync/idle-memory', () => ({
  collectGarbage: () => {
    collections.count++;
    return true;
  },
}));

let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

it('collects the heap once the last document is unloaded, and again when the process next goes idle', async () => {
  server = await startTestServer({ env: { ROOM_UNLOAD_GRACE_MS: '0' } });
  const docId = await createDocument(server);
  for (const round of [1, 2]) {
    const client = connectClient(server, docId);
    await waitForSync(client);
    expect(server.server.registry.stats().rooms).toBe(1);
    const before = collections.count;
    client.destroy();
    await waitFor(() => server!.server.registry.stats().rooms === 0, 10_000, `round ${round}: the room to unload`);
    await waitFor(() => collections.count >= before + 2, 10_000, `round ${round}: two collections`);
  }
});

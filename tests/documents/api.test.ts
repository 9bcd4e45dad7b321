import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentSummary, ListDocumentsResponse } from '../../shared/api/index';
import { authHeaders, type Auth } from '../helpers/accounts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

/** A request as the owner (co-chair of `server.owner.groupId`), unless `auth` is null (no credentials). */
async function call(method: string, path: string, body?: unknown, auth: Auth | null = server!.owner.auth): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server!.url}${path}`, {
    method,
    headers: { ...authHeaders(auth ?? undefined), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

describe('documents API', () => {
  it('creates, lists newest first, renames, archives, restores and deletes documents', async () => {
    server = await startTestServer();
    expect((await call('GET', '/api/documents')).json).toEqual({ documents: [] });
    // Documents are for signed-in people only.
    expect((await call('GET', '/api/documents', undefined, null)).status).toBe(401);
    expect((await call('POST', '/api/documents', { groupId: server.owner.groupId }, null)).status).toBe(401);

    const { groupId } = server.owner;
    const first = await call('POST', '/api/documents', { groupId, title: 'Contribution to the EGM 2022' });
    expect(first.status).toBe(201);
    expect(DocumentSummary.parse(first.json)).toMatchObject({ groupId, role: 'co-chair' });
    const untitled = await call('POST', '/api/documents', { groupId });
    expect(untitled.status).toBe(201);
    expect(untitled.json.title).toBe('Untitled draft');

    let list = ListDocumentsResponse.parse((await call('GET', '/api/documents')).json);
    expect(list.documents.map((d) => d.id)).toEqual([untitled.json.id, first.json.id]);

    const renamed = await call('PATCH', `/api/documents/${first.json.id}`, { title: '  2nd Draft  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.json.title).toBe('2nd Draft');
    // Renaming is an edit: the renamed document moves to the top.
    list = ListDocumentsResponse.parse((await call('GET', '/api/documents')).json);
    expect(list.documents[0].title).toBe('2nd Draft');

    const archived = await call('PATCH', `/api/documents/${first.json.id}`, { archived: true });
    expect(archived.json.archivedAt).not.toBeNull();
    expect((await call('GET', '/api/documents')).json.documents.map((d: DocumentSummary) => d.id)).toEqual([untitled.json.id]);
    expect((await call('GET', '/api/documents?archived=true')).json.documents.map((d: DocumentSummary) => d.title)).toEqual(['2nd Draft']);
    await call('PATCH', `/api/documents/${first.json.id}`, { archived: false });
    expect((await call('GET', '/api/documents')).json.documents).toHaveLength(2);

    expect((await call('DELETE', `/api/documents/${first.json.id}`)).status).toBe(204);
    expect((await call('GET', `/api/documents/${first.json.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/documents/${first.json.id}`)).status).toBe(404);
    expect((await call('GET', '/api/documents')).json.documents).toHaveLength(1);
  });

  it('keeps documents and titles across a restart', async () => {
    server = await startTestServer();
    const { dataDir } = server;
    const created = await call('POST', '/api/documents', { groupId: server.owner.groupId, title: 'Summary of Online Meeting III' });
    expect(created.status).toBe(201);
    await server.stop();
    server = await startTestServer({ dataDir });
    const fetched = await call('GET', `/api/documents/${created.json.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.title).toBe('Summary of Online Meeting III');
  });

  it('serves the app for client routes and answers health checks', async () => {
    server = await startTestServer();
    expect((await call('GET', '/healthz')).json).toMatchObject({ status: 'ok' });
    for (const path of ['/', '/d/AAAAAAAAAAAAAAAA']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    // Pages may open connections to this server only, not to any ws: or wss: address.
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy')!;
    const connectSources = csp.split(';').map((directive) => directive.trim().split(/\s+/)).find(([name]) => name === 'connect-src')!.slice(1);
    expect(connectSources).toContain(`ws://127.0.0.1:${server.port}`);
    expect(connectSources.every((source) => source === "'self'" || new URL(source).port === String(server!.port)), connectSources.join(' ')).toBe(true);
    // No IPv6 literal (the default allowed origins include [::1]), which browsers reject in a source list.
    expect(connectSources.filter((source) => source.includes('['))).toEqual([]);
    // The built client's source maps are not published.
    const assets = readdirSync(join(REPO_ROOT, 'dist/client/assets'));
    expect(assets.filter((name) => name.endsWith('.map'))).toEqual([]);
    const script = assets.find((name) => name.endsWith('.js'))!;
    expect(await (await fetch(`${server.url}/assets/${script}`)).text()).not.toContain('sourceMappingURL');
    expect((await call('GET', '/api/nothing-here')).status).toBe(404);
  });

  it('answers bad request bodies with a 4xx and a reason', async () => {
    server = await startTestServer();
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${server!.url}/api/documents`, { method: 'POST', headers: { ...authHeaders(server!.owner.auth), ...headers }, body });
    const groupId = server.owner.groupId;
    const form = await post({ 'content-type': 'application/x-www-form-urlencoded' }, `groupId=${groupId}&title=Hello`);
    expect(form.status).toBe(415);
    expect((await form.json()).error.code).toBe('unsupported_media_type');
    const charset = await post({ 'content-type': 'application/json; charset=latin1' }, JSON.stringify({ groupId, title: 'x' }));
    expect(charset.status).toBe(415);
    // A document belongs to a working group: without one (or with a malformed one) it names the field.
    const noGroup = await call('POST', '/api/documents', { title: 'Orphan' });
    expect(noGroup.status).toBe(400);
    expect(noGroup.json.error.fields.map((field: { path: string }) => field.path)).toEqual(['groupId']);
    const badGroup = await call('POST', '/api/documents', { groupId: 'not-a-group', title: 'Orphan' });
    expect(badGroup.status).toBe(400);
    expect(badGroup.json.error.fields).toEqual([{ path: 'groupId', message: 'not a group id' }]);
    const badId = await call('GET', '/api/documents/not-an-id');
    expect(badId.status).toBe(400);
    expect(badId.json.error.fields).toEqual([{ path: 'id', message: 'not a document id' }]);
    expect((await call('GET', '/api/documents')).json.documents).toEqual([]);
  });
});


/**
 * The few Concord API calls the bench makes, as a script would: sign up the installation's first
 * account (no invite needed on a fresh DATA_DIR), create a personal access token and a working
 * group, then create documents in that group. Clients then authenticate with the token
 * (`Authorization: Bearer …`), on API requests and on websocket upgrades alike.
 *
 * Sign-ups are rate-limited per client address (10 per hour), so the bench signs up once per fresh
 * server and reuses the token for every client, and across a restart on the same DATA_DIR.
 */

/** What a bench script needs to create and open documents on one Concord installation. */
export interface ConcordCredentials {
  /** A personal access token (`cpat_…`) of the first account, a co-chair of `groupId`. */
  token: string;
  /** The working group the bench's documents belong to. */
  groupId: string;
}

const BENCH_PASSWORD = 'bench password, not a secret';

export const bearerHeaders = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** POST `body` as JSON; returns the parsed body, or throws unless the status is `expected`. */
async function post<T>(baseUrl: string, path: string, headers: Record<string, string>, body: unknown, expected = 201): Promise<{ body: T; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (response.status !== expected) throw new Error(`POST ${path} answered ${response.status} (expected ${expected}): ${text.slice(0, 300)}`);
  return { body: parsed as T, headers: response.headers };
}

/** Signs up the first account of a fresh installation, and makes it a token and a working group. */
export async function setUpConcord(baseUrl: string): Promise<ConcordCredentials> {
  const signUp = await post<unknown>(baseUrl, '/api/auth/signup', {}, { email: 'bench@example.org', name: 'Bench', password: BENCH_PASSWORD });
  const cookie = signUp.headers
    .getSetCookie()
    .find((value) => value.startsWith('concord_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error('POST /api/auth/signup set no concord_session cookie');
  const { body: created } = await post<{ token?: unknown }>(baseUrl, '/api/tokens', { cookie }, { name: 'bench', expiresInDays: null });
  if (typeof created?.token !== 'string') throw new Error(`POST /api/tokens answered without a token: ${JSON.stringify(created)}`);
  const token = created.token;
  const { body: group } = await post<{ id?: unknown }>(baseUrl, '/api/groups', bearerHeaders(token), { name: 'Bench working group' });
  if (typeof group?.id !== 'string') throw new Error(`POST /api/groups answered without an id: ${JSON.stringify(group)}`);
  return { token, groupId: group.id };
}

/** Creates a document in the bench's group; returns its id. */
export async function createConcordDocument(baseUrl: string, credentials: ConcordCredentials, title: string): Promise<string> {
  const { body } = await post<{ id?: unknown }>(baseUrl, '/api/documents', bearerHeaders(credentials.token), { groupId: credentials.groupId, title });
  if (typeof body?.id !== 'string') throw new Error(`POST /api/documents answered without an id: ${JSON.stringify(body)}`);
  return body.id;
}

/** Names the document's current state as a version (co-chairs only); returns its id. */
export async function nameConcordVersion(baseUrl: string, credentials: ConcordCredentials, documentId: string, name: string): Promise<string> {
  const { body } = await post<{ id?: unknown }>(baseUrl, `/api/documents/${encodeURIComponent(documentId)}/versions`, bearerHeaders(credentials.token), { name });
  if (typeof body?.id !== 'string') throw new Error(`POST /api/documents/${documentId}/versions answered without an id: ${JSON.stringify(body)}`);
  return body.id;
}

/** One timed GET: from sending the request to the last byte of the body (the body is parsed after). */
export interface TimedResponse {
  status: number;
  ms: number;
  bytes: number;
  /** The parsed JSON (or the text), when asked for with `parse`. */
  body?: unknown;
}

export async function timedGet(
  baseUrl: string,
  path: string,
  credentials: ConcordCredentials,
  { parse = false, timeoutMs = 300_000 }: { parse?: boolean; timeoutMs?: number } = {},
): Promise<TimedResponse> {
  const start = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: bearerHeaders(credentials.token), signal: AbortSignal.timeout(timeoutMs) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const ms = performance.now() - start;
  if (!parse && response.ok) return { status: response.status, ms, bytes: bytes.length };
  const text = new TextDecoder().decode(bytes);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: response.status, ms, bytes: bytes.length, body };
}

/** Typed calls to /api/tokens: personal access tokens for scripts and bots. */
import '../zod-config';
import {
  CreatedAccessToken,
  ListAccessTokensResponse,
  type AccessTokenSummary,
  type CreateAccessTokenRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type { AccessTokenSummary, CreatedAccessToken } from '../../../shared/api/index';

const BASE = '/api/tokens';

export async function listTokens(signal?: AbortSignal): Promise<AccessTokenSummary[]> {
  return (await requestJson(BASE, ListAccessTokensResponse, { signal })).tokens;
}

export function createToken(request: CreateAccessTokenRequest): Promise<CreatedAccessToken> {
  return requestJson(BASE, CreatedAccessToken, { method: 'POST', body: request });
}

export function deleteToken(id: string): Promise<void> {
  return requestJson(`${BASE}/${encodeURIComponent(id)}`, null, { method: 'DELETE' });
}

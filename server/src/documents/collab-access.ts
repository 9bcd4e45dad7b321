import type { IncomingMessage } from 'node:http';
import { colorForUser } from '../../../shared/protocol/index';
import type { Authenticator } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { ApiError } from '../http/index';
import type { Store } from '../store/index';
import type { UpgradeDecision } from '../sync/index';

/**
 * Decides websocket upgrades for documents: the same credentials (cookie or Bearer token) and
 * the same group-role check as the HTTP API, answered before the document is loaded.
 */
export function collabAuthorizer(deps: { authenticator: Authenticator; store: Store }) {
  return async (request: IncomingMessage, documentId: string): Promise<UpgradeDecision> => {
    const auth = await deps.authenticator.authenticate(request.headers);
    if (auth.status !== 'signed-in') {
      return { status: 401, code: 'unauthenticated', message: auth.status === 'invalid' ? auth.reason : 'sign in first' };
    }
    const { user, credential, scopes } = auth.principal;
    try {
      const { record, role } = await requireDocumentRole(deps.store, documentId, user.id);
      return {
        status: 'allowed',
        access: {
          userId: user.id,
          credentialId: credential.id,
          groupId: record.groupId!,
          role,
          name: user.name,
          color: colorForUser(user.id),
          // Source papers change only through the server (re-import, label corrections); a token
          // without the write scope reads like an observer, whatever the person's role.
          readOnlyDocument: record.kind === 'source' || !scopes.has('write'),
        },
      };
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
        return { status: error.status, code: error.code, message: error.message };
      }
      throw error;
    }
  };
}

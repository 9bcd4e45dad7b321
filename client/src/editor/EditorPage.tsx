/**
 * The /d/<id> page: asks the server whether this person may open the document and with which
 * role, then opens the collaborative editor (read-only for observers). Not signed in → sign-in;
 * not a member of its group → "No access"; unknown → "not found". When the server can't be
 * reached the editor opens anyway, from the copy kept on this device.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { isDocumentId } from '../../../shared/protocol/index';
import { ApiError, getDocument, updateDocument, type DocumentSummary } from '../api/documents';
import { setSignedOut, useCurrentUser } from '../auth/session';
import { readHistoryState } from '../router';
import { LoadingPage, NoAccessPage, NotFoundPage } from '../ui/NotFoundPage';
import { recallAccess, rememberAccess, type DocumentAccess } from './access-cache';
import { DocumentWorkspace } from './DocumentWorkspace';

type Lookup =
  | { state: 'loading' }
  | { state: 'found'; summary: DocumentSummary }
  /** Server unreachable (offline, restarting): open from the local copy, with the role last seen here if any. */
  | { state: 'unreachable'; access: DocumentAccess | null }
  | { state: 'not-found' }
  | { state: 'no-access'; removedFrom?: string };

export function EditorPage({ documentId }: { documentId: string }) {
  const user = useCurrentUser();
  const [lookup, setLookup] = useState<Lookup>(() => (isDocumentId(documentId) ? { state: 'loading' } : { state: 'not-found' }));
  const [justCreated] = useState(() => readHistoryState()?.justCreated === true);
  const controller = useRef<AbortController | null>(null);

  /** Asks the server (again) who may do what here; `quiet` keeps the editor open while asking. */
  const check = useCallback(
    (quiet: boolean) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      if (!quiet) setLookup({ state: 'loading' });
      getDocument(documentId, current.signal)
        .then((summary) => {
          rememberAccess(summary);
          setLookup({ state: 'found', summary });
        })
        .catch((error: unknown) => {
          if (current.signal.aborted) return;
          if (error instanceof ApiError && (error.status === 404 || error.status === 400)) setLookup({ state: 'not-found' });
          else if (error instanceof ApiError && error.status === 403) setLookup({ state: 'no-access' });
          else if (error instanceof ApiError && error.status === 401) return; // the session store sends the person to sign in
          else if (!quiet) setLookup({ state: 'unreachable', access: recallAccess(documentId) });
        });
    },
    [documentId],
  );

  /** Marks the document final (or a draft again); the answer is the new summary. */
  const setFinal = useCallback(
    async (final: boolean) => {
      const summary = await updateDocument(documentId, { final });
      // A lookup still under way may answer with the status from before this change.
      controller.current?.abort();
      rememberAccess(summary);
      setLookup({ state: 'found', summary });
    },
    [documentId],
  );

  useEffect(() => {
    if (!isDocumentId(documentId)) {
      setLookup({ state: 'not-found' });
      return;
    }
    check(false);
    return () => controller.current?.abort();
  }, [documentId, check]);

  if (lookup.state === 'not-found') return <NotFoundPage />;
  if (lookup.state === 'no-access') return <NoAccessPage removedFrom={lookup.removedFrom} />;
  if (lookup.state === 'loading') return <LoadingPage label="Opening draft…" />;

  const access: DocumentAccess | null =
    lookup.state === 'found'
      ? {
          role: lookup.summary.role,
          groupId: lookup.summary.groupId,
          groupName: lookup.summary.groupName,
          kind: lookup.summary.kind,
          citeAs: lookup.summary.citeAs,
        }
      : lookup.access;

  return (
    <DocumentWorkspace
      key={documentId}
      documentId={documentId}
      user={{ name: user.name, color: user.color }}
      access={access}
      initialTitle={lookup.state === 'found' ? lookup.summary.title : null}
      final={lookup.state === 'found' ? lookup.summary.final : null}
      justCreated={justCreated}
      onRefreshSummary={() => check(true)}
      onSetFinal={setFinal}
      onRoleChanged={() => check(true)}
      onRevoked={() => setLookup({ state: 'no-access', removedFrom: access?.groupName })}
      onSignedOut={setSignedOut}
    />
  );
}

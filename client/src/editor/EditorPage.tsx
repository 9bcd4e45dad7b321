/**
 * The /d/<id> page: checks the document exists, makes sure we know the person's name, then
 * opens the collaborative editor. When the server can't be reached the editor opens anyway,
 * from the copy kept on this device.
 */
import { useEffect, useState } from 'react';

import { isDocumentId } from '../../../shared/protocol/index';
import { ApiError, getDocument, type DocumentSummary } from '../api/documents';
import { NameDialog } from '../identity/NameDialog';
import { useLocalUser } from '../identity/local-user';
import { readHistoryState } from '../router';
import { NotFoundPage } from '../ui/NotFoundPage';
import { DocumentWorkspace } from './DocumentWorkspace';

type Lookup =
  | { state: 'loading' }
  | { state: 'found'; summary: DocumentSummary }
  /** Server unreachable (offline, restarting): open from the local copy. */
  | { state: 'unreachable' }
  | { state: 'not-found' };

export function EditorPage({ documentId }: { documentId: string }) {
  const user = useLocalUser();
  const [lookup, setLookup] = useState<Lookup>(() => (isDocumentId(documentId) ? { state: 'loading' } : { state: 'not-found' }));
  const [justCreated] = useState(() => readHistoryState()?.justCreated === true);

  useEffect(() => {
    if (!isDocumentId(documentId)) {
      setLookup({ state: 'not-found' });
      return;
    }
    setLookup({ state: 'loading' });
    const controller = new AbortController();
    getDocument(documentId, controller.signal)
      .then((summary) => setLookup({ state: 'found', summary }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) setLookup({ state: 'not-found' });
        else setLookup({ state: 'unreachable' });
      });
    return () => controller.abort();
  }, [documentId]);

  if (lookup.state === 'not-found') return <NotFoundPage />;

  if (!user) {
    return (
      <div className="editor-screen editor-screen--waiting">
        <NameDialog open dismissible={false} onClose={() => undefined} />
      </div>
    );
  }

  if (lookup.state === 'loading') {
    return (
      <div className="editor-screen editor-screen--waiting" aria-busy="true">
        <p className="loading-line" role="status">
          Opening draft…
        </p>
      </div>
    );
  }

  return (
    <DocumentWorkspace
      key={documentId}
      documentId={documentId}
      user={user}
      initialTitle={lookup.state === 'found' ? lookup.summary.title : null}
      justCreated={justCreated}
    />
  );
}

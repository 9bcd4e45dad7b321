/**
 * A document's pages: the editor, and its history views opened over it. The editor stays mounted
 * (and connected) beneath a version or a comparison, made inert while they show: a restore reaches
 * it live, and "Back to document" finds it where it was.
 */
import { useSearch } from '../router';
import { EditorPage } from '../editor/EditorPage';
import { CompareView } from './CompareView';
import type { HistoryView } from './routes';
import { VersionView } from './VersionView';
import './history.css';

export function DocumentRoute({ documentId, view }: { documentId: string; view: HistoryView | null }) {
  const search = useSearch();
  const query = new URLSearchParams(search);
  return (
    <>
      <div className="document-route" inert={view !== null}>
        <EditorPage documentId={documentId} />
      </div>
      {view?.kind === 'version' && <VersionView key={`${documentId}/${view.versionId}`} documentId={documentId} versionId={view.versionId} />}
      {view?.kind === 'compare' && (
        <CompareView key={`${documentId}?${search}`} documentId={documentId} from={query.get('from') ?? ''} to={query.get('to') || 'current'} />
      )}
    </>
  );
}

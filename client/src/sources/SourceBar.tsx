/**
 * Where a draft has its toolbar, a source paper says what it is and what can be done with it:
 * annotate (the selection, or a paragraph from its margin), show only annotated paragraphs, and
 * download the annotations for other annotation tools (W3C Web Annotation, JSON-LD) and, for
 * co-chairs, re-import a new version of the paper.
 */
import { annotationsDownloadUrl } from '../api/sources';
import { isMac, shortcutLabel } from '../editor/shortcuts';
import { COMMENT_SHORTCUT } from '../comments/SelectionCommentButton';
import { Icon } from '../ui/Icon';
import { ReimportSourceButton } from './ReimportSourceDialog';

export interface SourceBarProps {
  documentId: string;
  title: string;
  /** The name citations use, for the download's file name. */
  citeAs: string;
  annotatedCount: number;
  onlyAnnotated: boolean;
  onOnlyAnnotatedChange: (value: boolean) => void;
  /** Starts an annotation on the selected text; absent for those who may not annotate. */
  onAnnotate?: () => void;
  /** Called after a re-import; absent for those who may not re-import (all but co-chairs). */
  onReimported?: () => void;
}

/** A file name without characters that file systems refuse. */
const fileNameOf = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'source';

export function SourceBar({ documentId, title, citeAs, annotatedCount, onlyAnnotated, onOnlyAnnotatedChange, onAnnotate, onReimported }: SourceBarProps) {
  return (
    <div className="view-only-notice source-bar" role="region" aria-label="Source paper" data-testid="source-bar">
      <Icon name="bookmark" size={18} />
      <p className="source-bar__notice">
        <strong>Source paper — read only.</strong> Select text or a paragraph to annotate.
      </p>
      <div className="source-bar__actions">
        {onAnnotate && (
          <button
            type="button"
            className="button button--compact"
            aria-keyshortcuts={isMac ? 'Meta+Alt+M' : 'Control+Alt+M'}
            data-tooltip={`Annotate the selected text (${shortcutLabel(COMMENT_SHORTCUT)})`}
            // Keep the selection in the text.
            onMouseDown={(event) => event.preventDefault()}
            onClick={onAnnotate}
          >
            <Icon name="commentAdd" size={18} />
            Annotate
          </button>
        )}
        <label className="source-bar__filter">
          <input type="checkbox" checked={onlyAnnotated} onChange={(event) => onOnlyAnnotatedChange(event.target.checked)} />
          Only annotated paragraphs
          <span className="count-badge" aria-label={`${annotatedCount} annotated`}>
            {annotatedCount}
          </span>
        </label>
        <a className="source-bar__download" href={annotationsDownloadUrl(documentId)} download={`${fileNameOf(citeAs)} annotations.jsonld`}>
          <Icon name="download" size={18} />
          Download annotations (W3C JSON-LD)
        </a>
        {onReimported && <ReimportSourceButton sourceId={documentId} title={title} citeAs={citeAs} onReimported={onReimported} />}
      </div>
    </div>
  );
}

/**
 * /d/<id>/report: the comment-resolution report of a draft, as working groups circulate it with
 * a revised text: every thread in document order with the quoted text, what that text reads now,
 * the discussion, and how it was resolved (disposition, reason, by whom and when). Downloads as
 * CSV or JSON from the API; printable. Refreshes itself when threads change.
 */
import { useEffect } from 'react';

import { isDocumentId } from '../../../shared/protocol/index';
import { DISPOSITION_LABELS } from '../../../shared/api/index';
import { getReport, reportDownloadUrl, threadEventsUrl, type ReportEntry } from '../api/comments';
import { documentPath, Link } from '../router';
import { AppHeader } from '../ui/AppHeader';
import { formatDateTime } from '../ui/dates';
import { Icon } from '../ui/Icon';
import { LoadingPage, MessagePage, NoAccessPage, NotFoundPage } from '../ui/NotFoundPage';
import { useFetched } from '../ui/useFetched';
import { CommentText } from './comment-text';

export function ReportPage({ documentId }: { documentId: string }) {
  const valid = isDocumentId(documentId);
  const report = useFetched((signal) => (valid ? getReport(documentId, signal) : Promise.reject(new Error('bad id'))), documentId);
  const { refresh } = report;

  // Threads resolved or discussed while the report is open: fetch it again.
  useEffect(() => {
    if (!valid || typeof EventSource === 'undefined') return;
    const source = new EventSource(threadEventsUrl(documentId), { withCredentials: true });
    let timer: number | undefined;
    const changed = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void refresh(), 300);
    };
    source.addEventListener('thread', changed);
    source.addEventListener('thread-deleted', changed);
    return () => {
      window.clearTimeout(timer);
      source.close();
    };
  }, [documentId, valid, refresh]);

  const title = report.data?.title;
  useEffect(() => {
    document.title = `${title ? `${title} — ` : ''}Comment resolution — Concord`;
  }, [title]);

  if (!valid || report.error?.status === 404 || report.error?.status === 400) return <NotFoundPage />;
  if (report.error?.status === 403) return <NoAccessPage />;
  if (!report.data && report.error) {
    return (
      <MessagePage
        title="The report can’t be loaded"
        message={report.error.message}
        action={
          <button type="button" className="button button--primary" onClick={() => void refresh()}>
            Try again
          </button>
        }
      />
    );
  }
  if (!report.data) return <LoadingPage label="Loading the report…" />;

  const { threads } = report.data;
  const resolved = threads.filter((entry) => entry.status === 'resolved').length;

  return (
    <div className="report-page">
      <AppHeader />
      <main className="wide-main report" aria-labelledby="report-title">
        <Link href={documentPath(documentId)} className="report__back">
          <Icon name="arrowLeft" size={18} /> Back to the draft
        </Link>
        <h1 id="report-title">Comment resolution report</h1>
        <p className="report__meta">
          <strong>{report.data.title}</strong> · {report.data.groupName} · generated {formatDateTime(report.data.generatedAt)}
        </p>
        <div className="report__bar">
          <p className="report__counts">
            {threads.length === 1 ? '1 thread' : `${threads.length} threads`}: {resolved} resolved, {threads.length - resolved} open
          </p>
          <div className="report__actions">
            <a className="button button--compact" href={reportDownloadUrl(documentId, 'csv')} download>
              <Icon name="download" size={16} /> Download CSV
            </a>
            <a className="button button--compact" href={reportDownloadUrl(documentId, 'json')} download>
              <Icon name="download" size={16} /> Download JSON
            </a>
            <button type="button" className="button button--compact" onClick={() => window.print()}>
              <Icon name="printer" size={16} /> Print
            </button>
          </div>
        </div>

        {threads.length === 0 ? (
          <div className="report__empty">
            <p>No comments on this draft yet.</p>
          </div>
        ) : (
          <div className="table-wrap report__table-wrap">
            <table className="report-table">
              <caption className="visually-hidden">Comment threads in document order</caption>
              <thead>
                <tr>
                  <th scope="col" className="report-table__number">
                    #
                  </th>
                  <th scope="col">Text</th>
                  <th scope="col">Discussion</th>
                  <th scope="col">Status</th>
                  <th scope="col">Resolution</th>
                </tr>
              </thead>
              <tbody>
                {threads.map((entry) => (
                  <ReportRow key={entry.threadId} entry={entry} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
    </div>
  );
}

function ReportRow({ entry }: { entry: ReportEntry }) {
  return (
    <tr data-thread-id={entry.threadId}>
      <td className="report-table__number">{entry.position}</td>
      <td className="report-table__text">
        <span className="report-table__label">Quoted</span>
        <blockquote className="report-table__quote">{entry.quote}</blockquote>
        <span className="report-table__label">Text now</span>
        {entry.currentText === null ? (
          <p className="report-table__now">
            <span className="tag tag--removed">Text removed</span>
          </p>
        ) : (
          <p className="report-table__now">{entry.currentText === entry.quote ? 'Unchanged' : entry.currentText}</p>
        )}
      </td>
      <td className="report-table__discussion">
        <ol>
          {entry.discussion.map((comment, index) => (
            <li key={index}>
              <span className="report-table__who">
                {comment.author}, {formatDateTime(comment.at)}
              </span>
              {comment.deleted ? <p className="comment__body comment__body--deleted">Comment deleted</p> : <CommentText body={comment.body} />}
            </li>
          ))}
        </ol>
      </td>
      <td>
        <span className={entry.status === 'resolved' ? 'tag' : 'tag tag--open'}>{entry.status === 'resolved' ? 'Resolved' : 'Open'}</span>
      </td>
      <td className="report-table__resolution">
        {entry.disposition ? <strong>{DISPOSITION_LABELS[entry.disposition]}</strong> : <span className="report-table__none">—</span>}
        {entry.reason && <CommentText body={entry.reason} />}
        {entry.resolvedBy && (
          <p className="report-table__who">
            {entry.resolvedBy}
            {entry.resolvedAt ? `, ${formatDateTime(entry.resolvedAt)}` : ''}
          </p>
        )}
      </td>
    </tr>
  );
}

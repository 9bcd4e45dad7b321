/**
 * "Download redline PDF" in the compare view: the comparison typeset on the server as a redline
 * (who changed what, insertions underlined, deletions struck through, each marked with its
 * author). While it is made: what is happening, for how long, and a way to stop; a failure is said
 * in a sentence, with the chance to try again.
 */
import { useEffect, useRef, useState } from 'react';

import { ApiError } from '../api/http';
import { downloadRedlinePdf } from '../api/redline';
import { announce } from '../ui/announce';
import { Icon } from '../ui/Icon';
import { saveFile } from '../export/save-file';

/** After this long, say that long papers take a while. */
const SLOW_MS = 4000;

type Phase = { state: 'idle'; error: string | null } | { state: 'busy'; seconds: number };

function redlineErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The redline PDF couldn’t be made. Please try again.';
  if (error.isNetworkError) {
    return navigator.onLine ? 'The server can’t be reached right now, so no PDF was made. Try again in a moment.' : 'You are offline: PDFs are made on the server.';
  }
  switch (error.code) {
    case 'not_found':
      return 'One of these versions (or the document) no longer exists. Choose other versions.';
    case 'too_large':
      return 'This comparison is too long to be made into a PDF.';
    case 'export_busy':
      return 'The server is busy making other PDFs. Please try again in a minute.';
    case 'export_timeout':
      return 'Making the PDF took too long and was stopped. Please try again in a few minutes.';
    case 'export_failed':
      return 'Something in this comparison couldn’t be typeset, so no PDF was made. If it keeps failing, tell your administrator.';
    case 'store_unavailable':
      return 'The latest changes aren’t saved yet. Try again in a moment.';
  }
  if (error.status === 401) return 'Your sign-in has ended. Sign in again, then download.';
  if (error.status === 403) return 'You no longer have access to this document.';
  if (error.status === 429 || error.status === 503) return 'The server is busy right now. Please try again in a minute.';
  return 'The redline PDF couldn’t be made because of a problem on the server. Please try again in a moment.';
}

export function RedlineDownload({ documentId, from, to }: { documentId: string; from: string; to: string }) {
  const [phase, setPhase] = useState<Phase>({ state: 'idle', error: null });
  const controller = useRef<AbortController | null>(null);
  const busy = phase.state === 'busy';

  // Leaving the page (or comparing other versions) stops a download under way.
  useEffect(
    () => () => {
      controller.current?.abort();
      controller.current = null;
    },
    [documentId, from, to],
  );

  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const timer = window.setInterval(() => {
      setPhase((current) => (current.state === 'busy' ? { state: 'busy', seconds: Math.floor((Date.now() - started) / 1000) } : current));
    }, 500);
    return () => window.clearInterval(timer);
  }, [busy]);

  const start = async () => {
    if (busy) return;
    const current = new AbortController();
    controller.current = current;
    setPhase({ state: 'busy', seconds: 0 });
    announce('Preparing the redline PDF…');
    try {
      const result = await downloadRedlinePdf(documentId, from, to, current.signal);
      if (current.signal.aborted) return;
      saveFile(result.pdf, result.filename);
      announce(`Redline PDF ready: ${result.filename} is downloading.`);
      setPhase({ state: 'idle', error: null });
    } catch (error) {
      if (current.signal.aborted) return;
      setPhase({ state: 'idle', error: redlineErrorMessage(error) });
    } finally {
      if (controller.current === current) controller.current = null;
    }
  };

  const cancel = () => {
    controller.current?.abort();
    controller.current = null;
    setPhase({ state: 'idle', error: null });
    announce('Redline PDF cancelled.');
  };

  return (
    <div className="redline-download" data-testid="redline-download">
      {busy ? (
        <div className="redline-download__progress" role="status" aria-live="polite">
          <span className="redline-download__text">
            Preparing the redline PDF…
            {phase.seconds * 1000 >= SLOW_MS && <span className="compare-progress__slow"> ({phase.seconds} s: long papers take a moment)</span>}
          </span>
          <div className="compare-progress__bar redline-download__bar" role="progressbar" aria-label="Preparing the redline PDF" />
          <button type="button" className="button button--compact button--quiet" onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button button--compact" onClick={() => void start()} disabled={!from}>
          <Icon name="download" size={16} />
          Download redline PDF
        </button>
      )}
      {phase.state === 'idle' && phase.error && (
        <p className="form-error redline-download__error" role="alert">
          {phase.error}
        </p>
      )}
    </div>
  );
}

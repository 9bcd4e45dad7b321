/**
 * /d/<id>/compare?from=<versionId>&to=<versionId|current>: what changed between two versions and
 * who changed it, like Word's compare: a table of words added and removed per person, then the
 * text block by block with insertions and deletions marked, only the changed paragraphs for long
 * papers, and next/previous change navigation (buttons, N/P or Alt+↓/↑).
 */
import { useEffect, useState, type FormEvent } from 'react';

import { getDocument } from '../api/documents';
import { compareVersions, type Comparison, type VersionSummary } from '../api/versions';
import { Avatar } from '../ui/Avatar';
import { FormField } from '../ui/FormField';
import { useFetched } from '../ui/useFetched';
import { CompareDocument } from './CompareDocument';
import { HistoryFrame } from './HistoryFrame';
import { HistoryLink } from './HistoryLink';
import { HistoryProblem } from './HistoryProblem';
import { RedlineDownload } from './RedlineDownload';
import { comparePath, navigateKeepingScroll, versionPath } from './routes';
import { useVersionList } from './useVersionList';
import { versionLabel, versionOptionLabel } from './version-text';

export function CompareView({ documentId, from, to }: { documentId: string; from: string; to: string }) {
  const info = useFetched((signal) => getDocument(documentId, signal), documentId);
  const versions = useVersionList(documentId);
  const comparison = useFetched(
    (signal) => (from ? compareVersions(documentId, from, to, signal) : Promise.resolve(null)),
    `${documentId}/${from}/${to}`,
  );
  const data = comparison.data;

  return (
    <HistoryFrame
      documentId={documentId}
      documentTitle={info.data?.title ?? null}
      heading="Compare versions"
      pageTitle="Compare versions"
      className="compare-view"
      versionId={from || undefined}
    >
      <div className="compare-page">
        <section className="compare-head" aria-label="Versions compared">
          {data ? <ComparedVersions documentId={documentId} comparison={data} /> : null}
          {data ? <RedlineDownload key={`${from}/${to}`} documentId={documentId} from={from} to={to} /> : null}
          <CompareForm key={`${from}/${to}`} from={from} to={to} versions={versions.data} documentId={documentId} />
        </section>

        {!from ? (
          <p className="history-loading">Choose the two versions to compare.</p>
        ) : comparison.error ? (
          <HistoryProblem error={comparison.error} what="the comparison" onRetry={() => void comparison.refresh()} />
        ) : comparison.loading || !data ? (
          <CompareProgress from={versions.data?.find((version) => version.id === from) ?? null} to={to === 'current' ? null : (versions.data?.find((version) => version.id === to) ?? null)} />
        ) : (
          <>
            <ContributionTable comparison={data} />
            <CompareDocument comparison={data} />
          </>
        )}
      </div>
    </HistoryFrame>
  );
}

/** "From 1st Draft (older) to the current text (newer)", each a link to the version. */
function ComparedVersions({ documentId, comparison }: { documentId: string; comparison: Comparison }) {
  const { from, to } = comparison;
  return (
    <p className="compare-head__what" data-testid="compare-what">
      Changes from{' '}
      <HistoryLink href={versionPath(documentId, from.id)} className="compare-head__version">
        {versionLabel(from)}
      </HistoryLink>{' '}
      to{' '}
      {to ? (
        <HistoryLink href={versionPath(documentId, to.id)} className="compare-head__version">
          {versionLabel(to)}
        </HistoryLink>
      ) : (
        <strong className="compare-head__version">the current text</strong>
      )}
    </p>
  );
}

/** The two versions to compare, changeable. */
function CompareForm({ documentId, from, to, versions }: { documentId: string; from: string; to: string; versions: VersionSummary[] | null }) {
  const [older, setOlder] = useState(from);
  const [newer, setNewer] = useState(to);
  const list = versions ?? [];
  const same = older === newer;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!older || same) return;
    navigateKeepingScroll(comparePath(documentId, older, newer), { replace: true });
  };

  const options = (includeCurrent: boolean) => (
    <>
      {includeCurrent && <option value="current">Current text</option>}
      {!includeCurrent && !older && <option value="">Choose a version…</option>}
      {list.map((version) => (
        <option key={version.id} value={version.id}>
          {version.kind === 'named' ? versionOptionLabel(version) : `Checkpoint: ${versionOptionLabel(version)}`}
        </option>
      ))}
      {/* Until the list arrives, keep the chosen value selectable. */}
      {versions === null && older && !includeCurrent && <option value={older}>…</option>}
      {versions === null && newer !== 'current' && includeCurrent && <option value={newer}>…</option>}
    </>
  );

  return (
    <form className="compare-form" onSubmit={submit} aria-label="Choose versions">
      <FormField label="Compare" error={null}>
        {(control) => (
          <select {...control} className="input input--compact" value={older} onChange={(event) => setOlder(event.target.value)}>
            {options(false)}
          </select>
        )}
      </FormField>
      <FormField label="with" error={null}>
        {(control) => (
          <select {...control} className="input input--compact" value={newer} onChange={(event) => setNewer(event.target.value)}>
            {options(true)}
          </select>
        )}
      </FormField>
      <button type="submit" className="button button--compact" disabled={!older || same || (older === from && newer === to)}>
        Compare
      </button>
      {same && older && <p className="form-hint compare-form__hint">Choose two different versions.</p>}
    </form>
  );
}

/** While the server compares (long papers take a moment): what is being compared, and for how long. */
function CompareProgress({ from, to }: { from: VersionSummary | null; to: VersionSummary | null }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const timer = window.setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500);
    return () => window.clearInterval(timer);
  }, []);
  const what = from ? `${versionLabel(from)} with ${to ? versionLabel(to) : 'the current text'}` : 'the versions';
  return (
    <div className="compare-progress" role="status" aria-live="polite">
      <p className="compare-progress__text">
        Comparing {what}…{seconds >= 3 && <span className="compare-progress__slow"> Still working ({seconds} s): long papers take a moment.</span>}
      </p>
      <div className="compare-progress__bar" role="progressbar" aria-label={`Comparing ${what}`} />
    </div>
  );
}

/** Words added and removed per person, most active first. */
function ContributionTable({ comparison }: { comparison: Comparison }) {
  const { summary } = comparison;
  if (summary.length === 0) return null;
  const totalAdded = summary.reduce((sum, row) => sum + row.wordsAdded, 0);
  const totalRemoved = summary.reduce((sum, row) => sum + row.wordsRemoved, 0);
  return (
    <section className="compare-summary" aria-labelledby="compare-summary-title">
      <h2 id="compare-summary-title" className="compare-section-title">
        Who changed what
      </h2>
      <table className="compare-summary__table" data-testid="compare-summary">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col" className="compare-summary__number">
              Words added
            </th>
            <th scope="col" className="compare-summary__number">
              Words removed
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.map((row, index) => (
            <tr key={row.person?.id ?? `unknown-${index}`}>
              <th scope="row" className="compare-summary__person">
                {row.person ? (
                  <Avatar person={row.person} size="small" />
                ) : (
                  <span className="avatar avatar--small compare-summary__unknown" aria-hidden="true">
                    ?
                  </span>
                )}
                <span>{row.person?.name ?? 'Not recorded'}</span>
              </th>
              <td className="compare-summary__number compare-summary__added">{row.wordsAdded}</td>
              <td className="compare-summary__number compare-summary__removed">{row.wordsRemoved}</td>
            </tr>
          ))}
        </tbody>
        {summary.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row">Everyone</th>
              <td className="compare-summary__number">{totalAdded}</td>
              <td className="compare-summary__number">{totalRemoved}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </section>
  );
}


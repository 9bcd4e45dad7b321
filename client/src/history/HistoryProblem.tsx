/** Why a version or a comparison can't be shown, with a way on. */
import type { ApiError } from '../api/http';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';

export function HistoryProblem({ error, what, onRetry }: { error: ApiError; what: string; onRetry: () => void }) {
  const missing = error.status === 404 || error.status === 400;
  const forbidden = error.status === 403;
  return (
    <div className="history-problem" role="alert">
      <Icon name={forbidden ? 'lock' : 'document'} size={32} />
      <h2 className="history-problem__title">
        {missing ? `Can’t find ${what}` : forbidden ? 'No access' : `Couldn’t load ${what}`}
      </h2>
      <p>
        {missing
          ? 'It may have been deleted with its document, or the address may be mistyped.'
          : forbidden
            ? 'You don’t have access to this document’s history.'
            : messageOf(error)}
      </p>
      {!missing && !forbidden && (
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

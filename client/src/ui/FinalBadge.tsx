/** The "Final" label of a document a co-chair marked final; who did and when is in its tooltip and accessible text. */
import type { FinalMark } from '../api/documents';
import { formatDate } from './dates';
import { Icon } from './Icon';

/** "Marked final by Chengetai Masango on 24 November 2026". */
function finalDescription(final: FinalMark): string {
  return `Marked final by ${final.by} on ${formatDate(final.at)}`;
}

export function FinalBadge({ final }: { final: FinalMark }) {
  const description = finalDescription(final);
  return (
    <span className="final-badge" data-tooltip={description} data-testid="final-badge">
      <Icon name="check" size={14} />
      Final
      <span className="visually-hidden">. {description}</span>
    </span>
  );
}

/**
 * The stance of an annotation on a source paper: support, concern, question, proposal for action,
 * or none (a plain comment). Native radio buttons, so arrow keys move between them.
 */
import { useId } from 'react';

import { STANCE_LABELS, STANCES, type Stance } from '../../../shared/api/index';

export function StancePicker({ value, onChange }: { value: Stance | null; onChange: (stance: Stance | null) => void }) {
  const name = useId();
  const options: { stance: Stance | null; label: string }[] = [
    ...STANCES.map((stance) => ({ stance, label: STANCE_LABELS[stance] })),
    { stance: null, label: 'No stance' },
  ];
  return (
    <fieldset className="stance-picker">
      <legend className="stance-picker__legend">Stance</legend>
      <div className="stance-picker__options">
        {options.map(({ stance, label }) => (
          <label key={stance ?? 'none'} className={`stance-option stance-option--${stance ?? 'none'}`}>
            <input type="radio" name={name} checked={value === stance} onChange={() => onChange(stance)} />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A thread's stance, as a labelled chip (the colour only repeats what the word says). */
export function StanceChip({ stance }: { stance: Stance }) {
  return (
    <span className={`stance-chip stance-chip--${stance}`} data-testid="stance-chip">
      {STANCE_LABELS[stance]}
    </span>
  );
}

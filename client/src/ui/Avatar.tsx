export interface Person {
  name: string;
  color: string;
}

/** A coloured circle with initials. Decorative: callers give the name in text nearby. */
export function Avatar({ person, size = 'medium' }: { person: Person; size?: 'small' | 'medium' }) {
  return (
    <span className={`avatar avatar--${size}`} style={{ backgroundColor: safeColor(person.color) }} aria-hidden="true">
      {initialsOf(person.name)}
    </span>
  );
}

/**
 * Overlapping avatars with the names available to everyone: as a tooltip on hover and as text
 * for screen readers. Shows at most `max` and "+N" for the rest.
 */
export function AvatarStack({ people, max = 4, label }: { people: Person[]; max?: number; label: string }) {
  if (people.length === 0) return null;
  const shown = people.slice(0, max);
  const hidden = people.slice(max);
  return (
    <ul className="avatar-stack" aria-label={label}>
      {shown.map((person, index) => (
        <li key={`${person.name}-${index}`} className="avatar-stack__item" title={person.name}>
          <Avatar person={person} size="small" />
          <span className="visually-hidden">{person.name}</span>
        </li>
      ))}
      {hidden.length > 0 && (
        <li className="avatar-stack__item" title={hidden.map((person) => person.name).join(', ')}>
          <span className="avatar avatar--small avatar--more" aria-hidden="true">
            +{hidden.length}
          </span>
          <span className="visually-hidden">and {hidden.map((person) => person.name).join(', ')}</span>
        </li>
      )}
    </ul>
  );
}

/** Colours come from other people's browsers; only plain hex colours are used in styles. */
export function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#455A64';
}

/** "Ada Lovelace" → "AL"; "ada" → "A". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0])[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1])[0] ?? '') : '';
  return (first + last).toUpperCase();
}

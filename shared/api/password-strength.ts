/**
 * The one rule for how strong a new password must be, used by the server (which enforces it) and
 * by the sign-up, password-change and reset forms (which show the same reason while the person
 * types). zxcvbn (@zxcvbn-ts/core with the common-password list and English dictionaries) estimates
 * how many guesses a password would take; the person's email and name count as easy guesses.
 *
 * The dictionaries are large (about 1.5 MB), so they are imported only when a judge is first
 * asked for: the browser loads them with a form that sets a password, not with the sign-in page.
 */
import type { ZxcvbnResult } from '@zxcvbn-ts/core';

/**
 * zxcvbn's score: 0 and 1 fall to an online attack, 2 to an offline one against a fast hash, 3
 * ("safely unguessable": ≥ 10^8 guesses) and 4 (≥ 10^10) don't.
 */
export const PASSWORD_MIN_SCORE = 3;

/**
 * Only this many first characters are judged: zxcvbn's time grows steeply with length (seconds
 * for 256 characters, on the server's event loop). A password whose first 64 characters are strong
 * is strong; one whose first 64 are weak is refused, whatever follows.
 */
export const PASSWORD_JUDGED_LENGTH = 64;

/** Words every account on this service shares, so guessers would try them first. */
const SERVICE_WORDS = ['concord'];

export interface PasswordVerdict {
  /** The score is at least PASSWORD_MIN_SCORE. */
  ok: boolean;
  score: 0 | 1 | 2 | 3 | 4;
  /** Why it is refused, as a sentence or two (zxcvbn's warning and suggestion); null when ok. */
  reason: string | null;
}

/** Judges `password`; `personal` are the person's own details (email, name), counted as easy guesses. */
export type PasswordJudge = (password: string, personal: readonly string[]) => PasswordVerdict;

/**
 * The words of the person's details that a guesser would try first: each one's parts ("kofi",
 * "mensah"; of an email, those before the @), the parts run together ("kofimensah") and the whole
 * ("kofi mensah"), then the service's own name. Earlier words count as easier guesses.
 */
export function personalWords(personal: readonly string[]): string[] {
  const words = new Set<string>();
  for (const value of personal) {
    const whole = value.trim().toLowerCase();
    if (!whole) continue;
    // Of an email address, the part before the @ is the person's; the domain is shared by many.
    const personalPart = whole.includes('@') ? whole.slice(0, whole.lastIndexOf('@')) : whole;
    const parts = personalPart.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3);
    for (const part of parts) words.add(part);
    words.add(parts.join(''));
    words.add(whole);
  }
  for (const word of SERVICE_WORDS) words.add(word);
  words.delete('');
  return [...words];
}

/** The verdict on one zxcvbn result. */
export function verdictOf(result: Pick<ZxcvbnResult, 'score' | 'feedback'>): PasswordVerdict {
  if (result.score >= PASSWORD_MIN_SCORE) return { ok: true, score: result.score, reason: null };
  const { warning, suggestions } = result.feedback;
  const reason = [warning || 'This password is too easy to guess.', suggestions[0]].filter(Boolean).join(' ');
  return { ok: false, score: result.score, reason };
}

let loading: Promise<PasswordJudge> | null = null;

/** The judge, once the dictionaries are loaded (loaded once; a failed load is tried again next time). */
export function loadPasswordJudge(): Promise<PasswordJudge> {
  loading ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      // The common-password list and diceware words, and English names, words and Wikipedia terms.
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
      maxLength: PASSWORD_JUDGED_LENGTH,
      // Trying every combination of l33t substitutions costs seconds on some inputs; one still
      // finds "p@$$w0rd" and "m0nk3y".
      l33tMaxSubstitutions: 1,
    });
    return (password, personal) => verdictOf(zxcvbn.check(password, personalWords(personal)));
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/**
 * The server's password rule (shared/api/password-strength.ts), live in a form that sets a new
 * password: the same verdict and the same reason, as the person types. The dictionaries it needs
 * are fetched when such a form opens (a separate chunk), so pages without one don't load them.
 */
import { useEffect, useState } from 'react';
import { z } from 'zod';

import { loadPasswordJudge, PASSWORD_MIN_LENGTH, type PasswordJudge, type PasswordVerdict } from '../../../shared/api/index';

/** Typing pauses this long before the password is judged again (judging takes a few milliseconds). */
const JUDGE_AFTER_MS = 120;

export interface PasswordStrength {
  /** The verdict on the password as last typed; null while it is shorter than the minimum or the rule is loading. */
  verdict: PasswordVerdict | null;
  /**
   * `schema`, also refusing a password the rule refuses (under `field`, with its reason), judged
   * at once on what is being sent. Without the rule loaded yet, the server judges it.
   */
  check<T>(schema: z.ZodType<T>, field: string, password: string): z.ZodType<T>;
}

/** `personal`: the person's email and name, which make a password easier to guess. */
export function usePasswordStrength(password: string, personal: readonly string[]): PasswordStrength {
  const [judge, setJudge] = useState<PasswordJudge | null>(null);
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(null);
  const personalKey = personal.join('\n');

  useEffect(() => {
    let live = true;
    loadPasswordJudge()
      .then((loaded) => live && setJudge(() => loaded))
      // Offline or the chunk failed: the server still judges what is sent.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!judge || password.length < PASSWORD_MIN_LENGTH) {
      setVerdict(null);
      return;
    }
    const timer = setTimeout(() => setVerdict(judge(password, personalKey.split('\n'))), JUDGE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [judge, password, personalKey]);

  function check<T>(schema: z.ZodType<T>, field: string, sent: string): z.ZodType<T> {
    return schema.superRefine((_value, context) => {
      if (!judge || sent.length < PASSWORD_MIN_LENGTH) return;
      const judged = judge(sent, personalKey.split('\n'));
      if (!judged.ok) context.addIssue({ code: 'custom', path: [field], message: judged.reason ?? 'This password is too easy to guess.' });
    });
  }

  return { verdict, check };
}

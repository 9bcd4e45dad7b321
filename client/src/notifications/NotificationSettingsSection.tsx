/**
 * The account page's e-mail settings (#notifications, where every message's footer links to):
 * mentions and assignments at once, a digest of the rest (hourly, daily or none), or no e-mail
 * at all. Each change is saved at once. Without SMTP on the server, it says notifications are in
 * the app only.
 */
import { useEffect, useId, useRef, useState } from 'react';

import type { NotificationKind } from '../../../shared/api/index';
import { getNotificationSettings, updateNotificationSettings, type NotificationSettingsView } from '../api/notifications';

/** What a person can choose to get by e-mail, each one or more kinds of notification. */
const CHOICES: { label: string; kinds: NotificationKind[] }[] = [
  { label: 'Mentions of me', kinds: ['mention'] },
  { label: 'Replies in threads I am in', kinds: ['reply'] },
  { label: 'Threads assigned to me', kinds: ['assigned'] },
  { label: 'Decisions on threads I am in', kinds: ['decision'] },
  { label: 'New versions named', kinds: ['version'] },
  { label: 'Priority rounds opened or closing soon', kinds: ['round', 'round-closing'] },
];
import { messageOf } from '../ui/form-errors';

export function NotificationSettingsSection() {
  const [settings, setSettings] = useState<NotificationSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const digestId = useId();
  const sectionRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    getNotificationSettings(controller.signal).then(setSettings, (caught: unknown) => {
      if (!controller.signal.aborted) setError(`Couldn’t load your e-mail settings. ${messageOf(caught)}`);
    });
    return () => controller.abort();
  }, []);

  // Messages link to /account#notifications: show this section once it has its content.
  useEffect(() => {
    if (settings && location.hash === '#notifications') sectionRef.current?.scrollIntoView({ block: 'start' });
  }, [settings !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  const change = async (changes: Partial<Pick<NotificationSettingsView, 'immediate' | 'digest' | 'emailOff' | 'muted'>>) => {
    setSaved(false);
    setError(null);
    const before = settings;
    // Shown at once (a checkbox follows the click), then as the server has it.
    setSettings((current) => current && { ...current, ...changes });
    try {
      setSettings(await updateNotificationSettings(changes));
      setSaved(true);
    } catch (caught) {
      setSettings(before);
      setError(`Couldn’t save. ${messageOf(caught)}`);
    }
  };

  return (
    <section ref={sectionRef} className="panel" id="notifications" aria-labelledby="notifications-title">
      <h2 id="notifications-title" className="panel__title">
        Notifications by e-mail
      </h2>
      <p className="panel__intro">
        Mentions, replies in your threads, threads assigned to you, decisions, new versions and priority rounds are always in the bell’s inbox.
      </p>
      {settings && !settings.emailAvailable && <p className="panel__note">This Concord sends no e-mail: notifications are in the app only.</p>}
      {settings && settings.emailAvailable && (
        <fieldset className="notification-settings" disabled={settings.emailOff}>
          <legend className="visually-hidden">What you get by e-mail</legend>
          <label className="notification-settings__check">
            <input type="checkbox" checked={settings.immediate} onChange={(event) => void change({ immediate: event.target.checked })} />
            Mentions and threads assigned to me, at once
          </label>
          <label htmlFor={digestId}>Everything else, in a digest</label>
          <select id={digestId} className="input input--compact" value={settings.digest} onChange={(event) => void change({ digest: event.target.value as NotificationSettingsView['digest'] })}>
            <option value="hourly">Every hour</option>
            <option value="daily">Every day (07:00 UTC)</option>
            <option value="off">No digest</option>
          </select>
          <fieldset className="notification-settings__kinds">
            <legend>E-mail me about</legend>
            {CHOICES.map((choice) => {
              const on = !choice.kinds.some((kind) => settings.muted.includes(kind));
              return (
                <label key={choice.label} className="notification-settings__check">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(event) => {
                      const others = settings.muted.filter((kind) => !choice.kinds.includes(kind));
                      void change({ muted: event.target.checked ? others : [...others, ...choice.kinds] });
                    }}
                  />
                  {choice.label}
                </label>
              );
            })}
          </fieldset>
        </fieldset>
      )}
      {settings && settings.emailAvailable && (
        <label className="notification-settings__check notification-settings__off">
          <input type="checkbox" checked={settings.emailOff} onChange={(event) => void change({ emailOff: event.target.checked })} />
          Stop all e-mail from Concord
        </label>
      )}
      <p className="panel__note" role="status">
        {saved ? 'Saved.' : ''}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

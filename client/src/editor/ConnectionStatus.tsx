import { useEffect, useState } from 'react';

import type { SessionSnapshot } from './collab-session';
import type { SaveState } from './save-tracker';

/** Saving shorter than this shows no "Saving…": every pause in typing would make the pill flicker. */
const SHOW_SAVING_AFTER_MS = 1000;

interface StatusView {
  tone: 'ok' | 'busy' | 'warning' | 'offline' | 'error';
  label: string;
  detail: string;
}

/**
 * The words shown for the connection state. Always visible in the header. `savingShown`: the
 * current saving has lasted long enough to mention.
 */
export function describeConnection(snapshot: SessionSnapshot, savingShown: boolean): StatusView {
  const savedHere = snapshot.localReady && !snapshot.localUnavailable;
  if (snapshot.deleted) {
    return { tone: 'error', label: 'Deleted', detail: 'This document was deleted. Changes can no longer be saved.' };
  }
  switch (snapshot.phase) {
    case 'connected':
      return describeSaving(snapshot.saveState, savedHere, savingShown);
    case 'connecting':
      return { tone: 'busy', label: 'Connecting…', detail: savedHere ? 'Changes are saved on this device meanwhile.' : 'Connecting to the server.' };
    case 'reconnecting':
      return {
        tone: 'busy',
        label: 'Reconnecting…',
        detail: savedHere
          ? 'The server can’t be reached right now. Your changes are saved on this device and will be shared when the connection returns.'
          : 'The server can’t be reached right now. Keep this tab open: your changes will be shared when the connection returns.',
      };
    case 'offline':
      return savedHere
        ? { tone: 'offline', label: 'Offline — changes saved on this device', detail: 'Your changes will be merged with everyone else’s when you’re back online.' }
        : { tone: 'offline', label: 'Offline', detail: 'Keep this tab open: your changes will be shared when you’re back online.' };
  }
}

/** Connected: only what the server confirmed it stored may be called saved. */
function describeSaving(saveState: SaveState, savedHere: boolean, savingShown: boolean): StatusView {
  switch (saveState) {
    case 'saved':
      return { tone: 'ok', label: 'Connected', detail: 'All changes are saved and shared with everyone in this document.' };
    case 'saving':
      return { tone: 'ok', label: savingShown ? 'Saving…' : 'Connected', detail: 'Your latest changes are being saved.' };
    case 'unsaved':
      return {
        tone: 'warning',
        label: 'Not saved yet',
        detail: savedHere
          ? 'The server can’t save changes right now. Your changes are kept in this tab and on this device, and will be saved when it recovers.'
          : 'The server can’t save changes right now. Keep this tab open: your changes are kept here and will be saved when it recovers.',
      };
  }
}

export function ConnectionStatus({ snapshot }: { snapshot: SessionSnapshot }) {
  const saving = snapshot.phase === 'connected' && snapshot.saveState === 'saving';
  const [savingShown, setSavingShown] = useState(false);
  useEffect(() => {
    setSavingShown(false);
    if (!saving) return;
    const timer = window.setTimeout(() => setSavingShown(true), SHOW_SAVING_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [saving]);
  const view = describeConnection(snapshot, savingShown);
  return (
    <div className={`connection-status connection-status--${view.tone}`} role="status" title={view.detail} data-testid="connection-status">
      <span className="connection-status__dot" aria-hidden="true" />
      <span className="connection-status__label">{view.label}</span>
      <span className="visually-hidden">. {view.detail}</span>
    </div>
  );
}

import type { SessionSnapshot } from './collab-session';

interface StatusView {
  tone: 'ok' | 'busy' | 'offline' | 'error';
  label: string;
  detail: string;
}

/** The words shown for the connection state. Always visible in the header. */
export function describeConnection(snapshot: SessionSnapshot): StatusView {
  const savedHere = snapshot.localReady && !snapshot.localUnavailable;
  if (snapshot.deleted) {
    return { tone: 'error', label: 'Deleted', detail: 'This document was deleted. Changes can no longer be saved.' };
  }
  switch (snapshot.phase) {
    case 'connected':
      return { tone: 'ok', label: 'Connected', detail: 'All changes are saved and shared with everyone in this document.' };
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

export function ConnectionStatus({ snapshot }: { snapshot: SessionSnapshot }) {
  const view = describeConnection(snapshot);
  return (
    <div className={`connection-status connection-status--${view.tone}`} role="status" title={view.detail} data-testid="connection-status">
      <span className="connection-status__dot" aria-hidden="true" />
      <span className="connection-status__label">{view.label}</span>
      <span className="visually-hidden">. {view.detail}</span>
    </div>
  );
}

/**
 * Who is in the document: overlapping avatars in the header, and a button that opens the full
 * list with names and colours.
 */
import { useEffect, useId, useRef, useState } from 'react';

import { Avatar } from '../ui/Avatar';
import type { Peer } from './collab-session';

const SHOWN = 4;

export function PresenceList({ peers }: { peers: Peer[] }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrapperRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  if (peers.length === 0) return null;
  const others = peers.filter((peer) => !peer.isSelf);
  const summary = others.length === 0 ? 'Only you are here' : `${peers.length} people here`;

  return (
    <div className="presence" ref={wrapperRef} onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        className="presence__button"
        aria-expanded={open}
        aria-controls={panelId}
        data-tooltip={summary}
        onClick={() => setOpen((value) => !value)}
      >
        {/* The name comes from this text, not an aria-label, since the visible initials are not part of it. */}
        <span className="visually-hidden">{`${summary}: ${peers.map((peer) => (peer.isSelf ? `${peer.name} (you)` : peer.name)).join(', ')}`}</span>
        <span className="avatar-stack" aria-hidden="true">
          {peers.slice(0, SHOWN).map((peer) => (
            <span key={peer.clientId} className="avatar-stack__item" title={peer.isSelf ? `${peer.name} (you)` : peer.name}>
              <Avatar person={peer} size="small" />
            </span>
          ))}
          {peers.length > SHOWN && (
            <span className="avatar-stack__item">
              <span className="avatar avatar--small avatar--more">+{peers.length - SHOWN}</span>
            </span>
          )}
        </span>
      </button>
      {open && (
        <div id={panelId} className="popover presence__panel">
          <h2 className="popover__title">In this document</h2>
          <ul className="presence__list" data-testid="presence-list">
            {peers.map((peer) => (
              <li key={peer.clientId} className="presence__person">
                <Avatar person={peer} size="small" />
                <span className="presence__name">{peer.name}</span>
                {peer.isSelf && <span className="presence__you">you</span>}
                {peer.viewing && <span className="presence__you">viewing</span>}
              </li>
            ))}
          </ul>
          {others.length === 0 && <p className="popover__note">Share the link to draft together.</p>}
        </div>
      )}
    </div>
  );
}

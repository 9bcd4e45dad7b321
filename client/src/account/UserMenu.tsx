/**
 * Who is signed in, in the top bar: avatar and name open a menu with Account, Administration
 * (administrators only) and Sign out. WAI-ARIA menu button: Enter/Space/ArrowDown open it and
 * focus the first item, arrows move, Escape closes and returns to the button.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

import { useSession } from '../auth/session';
import { signOutHere } from '../auth/sign-out';
import { Link } from '../router';
import { Avatar } from '../ui/Avatar';
import { Icon } from '../ui/Icon';
import { messageOf } from '../ui/form-errors';

export function UserMenu() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const menuId = useId();
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const focusFirst = useRef<'first' | 'last' | null>(null);

  useEffect(() => {
    if (!open) return;
    const items = menuItems(menuRef.current);
    if (focusFirst.current === 'last') items[items.length - 1]?.focus();
    else if (focusFirst.current === 'first') items[0]?.focus();
    focusFirst.current = null;
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  if (session.status !== 'ready' || !session.user) return null;
  const user = session.user;

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusFirst.current = event.key === 'ArrowDown' ? 'first' : 'last';
      setOpen(true);
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = menuItems(menuRef.current);
    const index = items.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (event.key === 'ArrowDown') next = (index + 1) % items.length;
    else if (event.key === 'ArrowUp') next = (index - 1 + items.length) % items.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
      return;
    } else if (event.key === 'Tab') {
      setOpen(false);
      return;
    }
    if (next < 0) return;
    event.preventDefault();
    items[next]?.focus();
  };

  const doSignOut = async () => {
    setError(null);
    try {
      await signOutHere();
    } catch (caught) {
      setError(`Couldn’t sign out. ${messageOf(caught)}`);
    }
  };

  return (
    <div className="user-menu" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          focusFirst.current = 'first';
          setOpen((value) => !value);
        }}
        onKeyDown={onButtonKeyDown}
      >
        <Avatar person={user} size="small" />
        {/* The name is the accessible name too (what voice control users say), after what the button is for. */}
        <span className="visually-hidden">Account menu for </span>
        <span className="user-button__name">{user.name}</span>
        <Icon name="chevronDown" size={16} />
      </button>
      {open && (
        <div ref={menuRef} id={menuId} className="popover user-menu__panel" role="menu" aria-label={`Account: ${user.name}`} onKeyDown={onMenuKeyDown}>
          <div className="user-menu__who" role="presentation">
            <Avatar person={user} size="medium" />
            <div>
              <div className="user-menu__name">{user.name}</div>
              <div className="user-menu__email">{user.email}</div>
            </div>
          </div>
          <Link href="/account" role="menuitem" tabIndex={-1} className="user-menu__item" onClick={() => setOpen(false)}>
            <Icon name="person" size={18} /> Account
          </Link>
          {user.isAdmin && (
            <Link href="/admin" role="menuitem" tabIndex={-1} className="user-menu__item" onClick={() => setOpen(false)}>
              <Icon name="shield" size={18} /> Administration
            </Link>
          )}
          <button type="button" role="menuitem" tabIndex={-1} className="user-menu__item" onClick={() => void doSignOut()}>
            <Icon name="signOut" size={18} /> Sign out
          </button>
          {error && (
            <p className="form-error user-menu__error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return menu ? Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]')) : [];
}

/**
 * Who "I" am before accounts exist: a display name the person chose and a colour, both kept in
 * localStorage so they are the same on every visit. The colour identifies the person's caret,
 * selection and avatar for collaborators.
 */
import { useSyncExternalStore } from 'react';
import type { AwarenessUser } from '../../../shared/protocol/index';

const STORAGE_KEY = 'concord.user';
const CHANGE_EVENT = 'concord:user-changed';
export const NAME_MAX_LENGTH = 60;

/**
 * Calm, distinguishable colours. Each has a contrast of at least 4.5:1 with white, because names
 * are written in white on them (caret labels, avatar initials), and each is a 6-digit hex colour
 * (the caret extension accepts only that form).
 */
export const USER_COLORS = [
  '#1565C0', '#C2185B', '#2E7D32', '#7B1FA2', '#B45309', '#00796B',
  '#3949AB', '#C62828', '#6D4C41', '#0F766E', '#5E35B1', '#455A64',
] as const;

function randomColor(): string {
  const index = crypto.getRandomValues(new Uint32Array(1))[0] % USER_COLORS.length;
  return USER_COLORS[index];
}

function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

let cached: AwarenessUser | null | undefined;

function read(): AwarenessUser | null {
  if (cached !== undefined) return cached;
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (parsed && typeof parsed === 'object') {
      const { name, color } = parsed as Record<string, unknown>;
      if (typeof name === 'string' && name.trim()) {
        cached = { name: name.trim().slice(0, NAME_MAX_LENGTH), color: isHexColor(color) ? color : randomColor() };
        return cached;
      }
    }
  } catch {
    // Storage unavailable or corrupt: ask again.
  }
  cached = null;
  return cached;
}

/** The stored user, or null when no name was chosen yet. */
export function getLocalUser(): AwarenessUser | null {
  return read();
}

/** Saves the display name; the colour is kept (or picked once, the first time). */
export function saveLocalUserName(name: string): AwarenessUser {
  const user = { name: name.trim().slice(0, NAME_MAX_LENGTH), color: read()?.color ?? randomColor() };
  cached = user;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(user));
  } catch {
    // Private mode: the name lasts for this tab only.
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
  return user;
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY) return;
    cached = undefined;
    onChange();
  };
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener('storage', onStorage);
  };
}

export function useLocalUser(): AwarenessUser | null {
  return useSyncExternalStore(subscribe, read);
}

/** "Ada Lovelace" → "AL"; "ada" → "A". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0])[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1])[0] ?? '') : '';
  return (first + last).toUpperCase();
}

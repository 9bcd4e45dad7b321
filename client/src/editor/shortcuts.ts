/** Shortcut notation for people: "Mod-Shift-z" → "Ctrl+Shift+Z" (or "⌘⇧Z" on a Mac). */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function shortcutLabel(shortcut: string): string {
  const parts = shortcut.split('-').map((part) => {
    switch (part) {
      case 'Mod':
        return isMac ? '⌘' : 'Ctrl';
      case 'Ctrl':
        return isMac ? '⌃' : 'Ctrl';
      case 'Alt':
        return isMac ? '⌥' : 'Alt';
      case 'Shift':
        return isMac ? '⇧' : 'Shift';
      default:
        return part.length === 1 ? part.toUpperCase() : part;
    }
  });
  return parts.join(isMac ? '' : '+');
}

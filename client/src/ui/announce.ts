/**
 * Polite screen-reader announcements ("Link copied", "Draft archived") for actions whose result
 * isn't otherwise spoken. One visually hidden live region for the whole app.
 */
let region: HTMLElement | null = null;

function ensureRegion(): HTMLElement {
  if (region?.isConnected) return region;
  region = document.createElement('div');
  region.className = 'visually-hidden';
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  document.body.appendChild(region);
  return region;
}

export function announce(message: string): void {
  const target = ensureRegion();
  // Clearing first makes a repeated message ("Link copied" twice) be read again.
  target.textContent = '';
  window.setTimeout(() => {
    target.textContent = message;
  }, 50);
}

/**
 * What this browser keeps of a person's work for offline use (document copies in IndexedDB and
 * their roles): removed on sign-out, and when someone else signs in on the same browser.
 */
import { forgetAllAccess } from '../editor/access-cache';
import { deleteAllLocalCopies } from '../editor/local-copies';

const OWNER_KEY = 'concord.device-owner';

export function forgetDeviceData(): void {
  void deleteAllLocalCopies();
  forgetAllAccess();
  try {
    localStorage.removeItem(OWNER_KEY);
  } catch {
    // nothing stored
  }
}

/** Called whenever we learn who is signed in: another person's copies don't stay around for them. */
export function claimDeviceData(userId: string): void {
  try {
    const owner = localStorage.getItem(OWNER_KEY);
    if (owner && owner !== userId) forgetDeviceData();
    localStorage.setItem(OWNER_KEY, userId);
  } catch {
    // Storage unavailable: nothing was kept either.
  }
}

import { signOut } from '../api/auth';
import { navigate } from '../router';
import { announce } from '../ui/announce';
import { forgetDeviceData } from './device-data';
import { setSignedOut } from './session';

/**
 * Signs out on the server, then forgets the account in this browser, removes the drafts it kept
 * for offline work (they shouldn't outlive the session on a shared computer) and goes to sign-in.
 * Throws (and changes nothing) when the server can't be reached.
 */
export async function signOutHere(): Promise<void> {
  await signOut();
  forgetDeviceData();
  setSignedOut();
  announce('Signed out');
  navigate('/signin', { replace: true });
}

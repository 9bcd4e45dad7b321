import type { AccountStore } from '../store/index';

/** What `npm start` tells the operator about signing in: on a fresh install, how to create the first account. */
export async function signInHint(store: AccountStore, publicOrigin: string): Promise<string> {
  if ((await store.countUsers()) === 0) {
    return `No accounts yet: open ${publicOrigin}/signup and create the first account; it becomes the administrator.`;
  }
  return `Sign in at ${publicOrigin}/signin`;
}

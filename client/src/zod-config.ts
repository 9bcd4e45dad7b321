/**
 * Imported first (main.tsx, api/): zod must be told before any schema is created that it may
 * not compile validators with `new Function`. The server's Content-Security-Policy forbids eval,
 * and zod's probe for it is reported by the browser as a CSP violation on every page load.
 */
import { z } from 'zod';

z.config({ jitless: true });

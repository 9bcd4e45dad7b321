export { AccessEvents } from './access-events';
export type { AccessChange } from './access-events';
export { adminRoutes } from './admin-routes';
export { Authenticator } from './authenticator';
export { authenticateRequests, principalOf } from './middleware';
export { authRoutes } from './routes';
export { hashSecret, newSecret } from './secrets';
export { signInHint } from './sign-in-hint';
export { tokenRoutes } from './token-routes';

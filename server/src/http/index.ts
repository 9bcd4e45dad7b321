export { ApiError, apiErrorHandler, parseInput, parseJsonBodies, requireJsonBody } from './api-error';
export { OriginPolicy } from './origin';
export { rateLimit, TokenBuckets } from './rate-limit';
export { staticClient } from './static-client';

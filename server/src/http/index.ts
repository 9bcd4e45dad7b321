export { ApiError, apiErrorHandler, parseInput, requireJsonBody } from './api-error';
export { OriginPolicy } from './origin';

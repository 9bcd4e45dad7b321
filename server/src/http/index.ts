export { ApiError, apiErrorHandler, parseInput, requireJsonBody } from './api-error';

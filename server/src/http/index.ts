export { ApiError, apiErrorHandler, parseInput } from './api-error';

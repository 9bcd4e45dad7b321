export { documentRoutes } from './routes';
export type { DocumentRoutesOptions } from './routes';

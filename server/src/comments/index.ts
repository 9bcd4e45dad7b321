export { DocumentEvents } from './document-events';
export type { DocumentEvent } from './document-events';
export { commentRoutes } from './routes';
export { resolutionReport } from './report';

export { DocumentEvents } from './document-events';
export { commentRoutes } from './routes';

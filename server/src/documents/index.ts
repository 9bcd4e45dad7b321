export { collabAuthorizer } from './collab-access';
export { documentRoutes } from './routes';
export type { DocumentRoutesOptions } from './routes';
export { toDocumentSummary } from './summary';

export { CitationIndexer } from './citation-index';
export { detectOwnNumber, labelBlocks, numberBlocks, similarity } from './numbering';
export type { BlockInfo } from './numbering';
export { priorityRoundRoutes } from './priority-rounds';
export { replaceContent } from './replace-content';
export { sourceRoutes } from './routes';

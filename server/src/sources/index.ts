export { priorityRoundRoutes, tallyOf } from './priority-rounds';
export { sourceRoutes } from './routes';
export type { SourceRoutesOptions } from './routes';
export { detectOwnNumber, labelBlocks, numberBlocks, similarity } from './numbering';
export type { BlockInfo, BlockLabel, NumberingResult, PreviousParagraph } from './numbering';
export { blockText, findParagraphElement, listParagraphs, numberContent, proseMirrorOf } from './paragraphs';
export { replaceContent } from './replace-content';
export { annotationCollection, STANCE_MOTIVATIONS, targetOf } from './annotations';
export { CitationIndexer, citationsIn } from './citation-index';

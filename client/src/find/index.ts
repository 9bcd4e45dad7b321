/** Find and replace within the document (issue 17): Ctrl+F, Ctrl+H, F3, match case, whole words. */
export { FindBar } from './FindBar';
export { FindHighlights, getFindState } from './find-plugin';
export { findInDocument, findInText, searchPattern, type FindOptions, type TextRange } from './find-matches';
export { useFind, FIND_SHORTCUT, REPLACE_SHORTCUT, type FindController } from './useFind';

/** Word count (issue 17): Ctrl+Shift+C, for the document and the selection. */
export { countDocument, countText, countWords, type DocumentCounts, type TextCounts } from './count';
export { useWordCount, WORD_COUNT_SHORTCUT, type WordCountState } from './useWordCount';
export { WordCountDialog } from './WordCountDialog';

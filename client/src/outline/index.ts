/** The document outline (issue 17): a panel of the headings, Ctrl+Alt+O. */
export { outlineOf, sectionAt, type OutlineEntry } from './outline';
export { OutlinePanel, OutlineToggle } from './OutlinePanel';
export { useOutline, OUTLINE_SHORTCUT, type OutlineState } from './useOutline';

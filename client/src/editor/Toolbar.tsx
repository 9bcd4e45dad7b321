/**
 * The formatting toolbar: one Tab stop (arrow keys move inside, WAI-ARIA toolbar pattern),
 * every control labelled with its name and shortcut, toggles exposing aria-pressed. Table tools
 * appear while the caret is in a table.
 */
import { useEditorState, type Editor } from '@tiptap/react';
import { forwardRef, useImperativeHandle, useRef, type ReactNode } from 'react';

import { Icon, type IconName } from '../ui/Icon';
import { useRovingFocus } from '../ui/useRovingFocus';
import { CITE_SHORTCUT } from './extensions/citation-view';
import { isMac, shortcutLabel } from './shortcuts';
import { asUndoStep } from './undo-steps';

export interface ToolbarHandle {
  focus: () => void;
}

interface ToolbarProps {
  editor: Editor;
  numberedHeadings: boolean;
  onToggleNumberedHeadings: () => void;
  onLink: () => void;
  onFootnote: () => void;
  /** Opens the citation picker. */
  onCite: () => void;
  /** Starts a comment thread on the selection; absent when the person can't comment. */
  onComment?: () => void;
}

interface ButtonProps {
  label: string;
  shortcut?: string;
  pressed?: boolean;
  disabled?: boolean;
  onClick: () => void;
  icon?: IconName;
  text?: ReactNode;
  /** The visible text as plain words, when `text` is markup (e.g. "x1" for x¹). */
  visibleText?: string;
  wide?: boolean;
}

/** Words of a label outside parentheses (what assistive technology matches spoken commands against). */
const words = (text: string) => ` ${text.toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;

/**
 * Voice control users say what they see, so a button's name holds its visible text:
 * "Heading 1, H1", while "Delete row" already holds "− Row".
 */
function accessibleName(label: string, visible: string | undefined): string {
  if (!visible || words(label).includes(words(visible))) return label;
  return `${label}, ${visible}`;
}

function ToolbarButton({ label, shortcut, pressed, disabled, onClick, icon, text, visibleText, wide }: ButtonProps) {
  const tooltip = shortcut ? `${label} (${shortcutLabel(shortcut)})` : label;
  return (
    <button
      type="button"
      className={['toolbar__button', wide ? 'toolbar__button--wide' : ''].join(' ')}
      aria-label={accessibleName(label, typeof text === 'string' ? text : visibleText)}
      aria-pressed={pressed === undefined ? undefined : pressed}
      aria-keyshortcuts={shortcut ? ariaShortcut(shortcut) : undefined}
      data-tooltip={tooltip}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on a button would otherwise blur the editor.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      {icon && <Icon name={icon} />}
      {text && <span className="toolbar__text" aria-hidden={icon ? true : undefined}>{text}</span>}
    </button>
  );
}

/** "Mod-Alt-1" → "Control+Alt+1" (or "Meta+Alt+1" on a Mac) for aria-keyshortcuts. */
function ariaShortcut(shortcut: string): string {
  return shortcut
    .split('-')
    .map((part) => (part === 'Mod' ? (isMac ? 'Meta' : 'Control') : part === 'Ctrl' ? 'Control' : part))
    .join('+');
}

function Separator() {
  return <span className="toolbar__separator" role="separator" aria-orientation="vertical" />;
}

export const Toolbar = forwardRef<ToolbarHandle, ToolbarProps>(function Toolbar(
  { editor, numberedHeadings, onToggleNumberedHeadings, onLink, onFootnote, onCite, onComment },
  ref,
) {
  const containerRef = useRef<HTMLDivElement>(null);
  const roving = useRovingFocus(containerRef);

  useImperativeHandle(ref, () => ({
    focus: () => {
      const container = containerRef.current;
      const target = container?.querySelector<HTMLElement>('[tabindex="0"]') ?? container?.querySelector<HTMLElement>('button:not([disabled])');
      target?.focus();
    },
  }));

  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      editable: current.isEditable,
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
      paragraph: current.isActive('paragraph'),
      h1: current.isActive('heading', { level: 1 }),
      h2: current.isActive('heading', { level: 2 }),
      h3: current.isActive('heading', { level: 3 }),
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      underline: current.isActive('underline'),
      strike: current.isActive('strike'),
      link: current.isActive('link'),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      blockquote: current.isActive('blockquote'),
      inTable: current.isActive('table'),
      canInsertTable: current.can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
      canAddRow: current.can().addRowAfter(),
      canDeleteRow: current.can().deleteRow(),
      canAddColumn: current.can().addColumnAfter(),
      canDeleteColumn: current.can().deleteColumn(),
      canToggleHeaderRow: current.can().toggleHeaderRow(),
      headerRow: isFirstRowHeader(current),
      hasSelection: !current.state.selection.empty,
    }),
  });

  const off = !state.editable;
  // Each toolbar action is its own undo step (typing around it is grouped separately).
  const run = (command: (chain: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>) => () => {
    asUndoStep(editor, () => command(editor.chain().focus()).run());
  };
  const history = (command: (chain: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>) => () => {
    command(editor.chain().focus()).run();
  };

  return (
    <div className="toolbar-bar">
      <div
        ref={containerRef}
        className="toolbar"
        role="toolbar"
        aria-label="Formatting"
        aria-controls="document-editor"
        onFocus={roving.onFocus}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            editor.commands.focus();
            return;
          }
          roving.onKeyDown(event);
        }}
      >
        <div className="toolbar__group" role="group" aria-label="History">
          <ToolbarButton label="Undo" shortcut="Mod-z" icon="undo" disabled={off || !state.canUndo} onClick={history((c) => c.undo())} />
          <ToolbarButton label="Redo" shortcut={isMac ? 'Mod-Shift-z' : 'Mod-y'} icon="redo" disabled={off || !state.canRedo} onClick={history((c) => c.redo())} />
        </div>
        <Separator />
        <div className="toolbar__group" role="group" aria-label="Text style">
          <ToolbarButton label="Normal text" shortcut="Mod-Alt-0" text="Text" wide pressed={state.paragraph && !state.h1 && !state.h2 && !state.h3} disabled={off} onClick={run((c) => c.setParagraph())} />
          <ToolbarButton label="Heading 1" shortcut="Mod-Alt-1" text="H1" pressed={state.h1} disabled={off} onClick={run((c) => c.toggleHeading({ level: 1 }))} />
          <ToolbarButton label="Heading 2" shortcut="Mod-Alt-2" text="H2" pressed={state.h2} disabled={off} onClick={run((c) => c.toggleHeading({ level: 2 }))} />
          <ToolbarButton label="Heading 3" shortcut="Mod-Alt-3" text="H3" pressed={state.h3} disabled={off} onClick={run((c) => c.toggleHeading({ level: 3 }))} />
          <ToolbarButton
            label="Number headings (1., 1.1, 1.1.1) for everyone"
            text="1.1"
            pressed={numberedHeadings}
            disabled={off}
            onClick={onToggleNumberedHeadings}
          />
        </div>
        <Separator />
        <div className="toolbar__group" role="group" aria-label="Character formatting">
          <ToolbarButton label="Bold" shortcut="Mod-b" text={<b>B</b>} pressed={state.bold} disabled={off} onClick={run((c) => c.toggleBold())} />
          <ToolbarButton label="Italic" shortcut="Mod-i" text={<i>I</i>} pressed={state.italic} disabled={off} onClick={run((c) => c.toggleItalic())} />
          <ToolbarButton label="Underline" shortcut="Mod-u" text={<u>U</u>} pressed={state.underline} disabled={off} onClick={run((c) => c.toggleUnderline())} />
          <ToolbarButton label="Strikethrough" shortcut="Mod-Shift-s" text={<s>S</s>} pressed={state.strike} disabled={off} onClick={run((c) => c.toggleStrike())} />
          <ToolbarButton label={state.link ? 'Edit link' : 'Insert link'} shortcut="Mod-k" icon="link" pressed={state.link} disabled={off} onClick={onLink} />
        </div>
        <Separator />
        <div className="toolbar__group" role="group" aria-label="Paragraph formatting">
          <ToolbarButton label="Bulleted list" shortcut="Mod-Shift-8" icon="bulletList" pressed={state.bulletList} disabled={off} onClick={run((c) => c.toggleBulletList())} />
          <ToolbarButton label="Numbered list" shortcut="Mod-Shift-7" icon="orderedList" pressed={state.orderedList} disabled={off} onClick={run((c) => c.toggleOrderedList())} />
          <ToolbarButton label="Quote" shortcut="Mod-Shift-b" icon="quote" pressed={state.blockquote} disabled={off} onClick={run((c) => c.toggleBlockquote())} />
          <ToolbarButton label="Horizontal line" icon="horizontalRule" disabled={off} onClick={run((c) => c.setHorizontalRule())} />
        </div>
        <Separator />
        <div className="toolbar__group" role="group" aria-label="Insert">
          <ToolbarButton
            label="Insert table"
            icon="table"
            disabled={off || !state.canInsertTable}
            onClick={run((c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }))}
          />
          <ToolbarButton label="Insert footnote" shortcut="Mod-Alt-f" text={<span className="toolbar__footnote-glyph">x<sup>1</sup></span>} visibleText="x1" disabled={off} onClick={onFootnote} />
          <ToolbarButton label="Cite a source paper" shortcut={CITE_SHORTCUT} icon="quote" text="Cite" wide disabled={off} onClick={onCite} />
        </div>
        {onComment && (
          <>
            <Separator />
            <div className="toolbar__group" role="group" aria-label="Comments">
              <ToolbarButton label="Comment" shortcut="Mod-Alt-m" icon="commentAdd" text="Comment" wide disabled={!state.hasSelection} onClick={onComment} />
            </div>
          </>
        )}
        {state.inTable && (
          <>
            <Separator />
            <div className="toolbar__group toolbar__group--table" role="group" aria-label="Table">
              <ToolbarButton label="Insert row above" icon="rowAbove" disabled={off || !state.canAddRow} onClick={run((c) => c.addRowBefore())} />
              <ToolbarButton label="Insert row below" icon="rowBelow" disabled={off || !state.canAddRow} onClick={run((c) => c.addRowAfter())} />
              <ToolbarButton label="Insert column left" icon="columnLeft" disabled={off || !state.canAddColumn} onClick={run((c) => c.addColumnBefore())} />
              <ToolbarButton label="Insert column right" icon="columnRight" disabled={off || !state.canAddColumn} onClick={run((c) => c.addColumnAfter())} />
              <ToolbarButton label="Delete row" text="− Row" wide disabled={off || !state.canDeleteRow} onClick={run((c) => c.deleteRow())} />
              <ToolbarButton label="Delete column" text="− Column" wide disabled={off || !state.canDeleteColumn} onClick={run((c) => c.deleteColumn())} />
              <ToolbarButton label="Header row" text="Header" wide pressed={state.headerRow} disabled={off || !state.canToggleHeaderRow} onClick={run((c) => c.toggleHeaderRow())} />
              <ToolbarButton label="Delete table" icon="trash" disabled={off} onClick={run((c) => c.deleteTable())} />
            </div>
          </>
        )}
      </div>
    </div>
  );
});

/** Whether the table around the selection has a header first row. */
function isFirstRowHeader(editor: Editor): boolean {
  const { $from } = editor.state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const node = $from.node(depth);
    if (node.type.name === 'table') {
      const firstRow = node.firstChild;
      if (!firstRow || firstRow.childCount === 0) return false;
      let allHeaders = true;
      firstRow.forEach((cell) => {
        if (cell.type.name !== 'tableHeader') allHeaders = false;
      });
      return allHeaders;
    }
  }
  return false;
}

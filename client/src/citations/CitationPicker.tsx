/**
 * The citation picker (toolbar "Cite", Ctrl+Alt+C): choose one of the group's source papers,
 * find a paragraph by its number or words ("V.4", "observatory"), Enter inserts a citation chip
 * at the cursor. The search field keeps focus; arrow keys move through the results (combobox
 * with a listbox, WAI-ARIA pattern).
 */
import type { Editor } from '@tiptap/react';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';

import { listSourceParagraphs, type SourceParagraph } from '../api/citations';
import { listDocuments, type DocumentSummary } from '../api/documents';
import { asUndoStep } from '../editor/undo-steps';
import { groupPath, Link } from '../router';
import { Dialog } from '../ui/Dialog';
import { messageOf } from '../ui/form-errors';
import { useFetched } from '../ui/useFetched';

interface CitationPickerProps {
  editor: Editor;
  open: boolean;
  /** The draft's working group, whose source papers can be cited; null when unknown (offline). */
  groupId: string | null;
  onClose: () => void;
  /** Back to the text once the dialog is gone. */
  onAfterClose: () => void;
}

export function CitationPicker({ editor, open, groupId, onClose, onAfterClose }: CitationPickerProps) {
  return (
    <Dialog open={open} title="Cite a source paper" className="citation-picker" onClose={onClose} onAfterClose={onAfterClose}>
      {open && <PickerBody editor={editor} groupId={groupId} onClose={onClose} />}
    </Dialog>
  );
}

/** The source chosen last, offered first next time (people cite the same paper again and again). */
let lastSourceId: string | null = null;

function PickerBody({ editor, groupId, onClose }: { editor: Editor; groupId: string | null; onClose: () => void }) {
  const sources = useFetched(
    async (signal) => (groupId ? (await listDocuments({ archived: false, groupId, signal })).filter((document) => document.kind === 'source') : []),
    groupId ?? '',
  );

  if (!groupId) return <p className="citation-picker__empty">Source papers can be cited once the connection is back.</p>;
  if (sources.data === null) {
    return sources.error ? (
      <p className="form-error" role="alert">
        Couldn’t load the group’s source papers. {messageOf(sources.error)}
      </p>
    ) : (
      <p className="citation-picker__empty" role="status">
        Loading source papers…
      </p>
    );
  }
  if (sources.data.length === 0) {
    return (
      <div className="citation-picker__empty" role="status">
        <p>This group has no source papers yet.</p>
        <p>
          <Link href={groupPath(groupId)} onClick={onClose}>
            Import a source paper from the group page
          </Link>{' '}
          to cite it.
        </p>
      </div>
    );
  }
  return <ParagraphSearch editor={editor} sources={sources.data} onClose={onClose} />;
}

/** How many results are drawn at once; narrowing the search finds the rest. */
const MAX_RESULTS = 200;
const FIRST_WORDS = 14;

const firstWords = (text: string) => {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > FIRST_WORDS ? `${words.slice(0, FIRST_WORDS).join(' ')} …` : words.join(' ');
};

/**
 * Paragraphs matching every word of the query (in the label or the text), best first: the
 * exact label ("V.4"), then labels starting with it ("V.4(1)"), then the rest in reading order.
 */
function searchParagraphs(paragraphs: readonly SourceParagraph[], query: string): SourceParagraph[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...paragraphs];
  const words = needle.split(/\s+/);
  const rank = (paragraph: SourceParagraph) => {
    const label = paragraph.label.toLowerCase();
    if (label === needle) return 0;
    if (label.startsWith(needle)) return 1;
    return 2;
  };
  return paragraphs
    .map((paragraph, index) => ({ paragraph, index, haystack: `${paragraph.label} ${paragraph.text}`.toLowerCase() }))
    .filter(({ haystack }) => words.every((word) => haystack.includes(word)))
    .map((entry) => ({ ...entry, rank: rank(entry.paragraph) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ paragraph }) => paragraph);
}

/**
 * For labels a paper repeats (a proposal quoted again in an annex): the heading each one comes
 * under, so the two "V.4" can be told apart.
 */
function headingsOfRepeatedLabels(paragraphs: readonly SourceParagraph[]): Map<string, string> {
  const uses = new Map<string, number>();
  for (const paragraph of paragraphs) uses.set(paragraph.label, (uses.get(paragraph.label) ?? 0) + 1);
  const context = new Map<string, string>();
  let heading: string | null = null;
  for (const paragraph of paragraphs) {
    if (paragraph.kind === 'heading') heading = paragraph.text;
    else if (heading && (uses.get(paragraph.label) ?? 0) > 1) context.set(paragraph.pid, heading);
  }
  return context;
}

function ParagraphSearch({ editor, sources, onClose }: { editor: Editor; sources: DocumentSummary[]; onClose: () => void }) {
  const [sourceId, setSourceId] = useState(() => sources.find((source) => source.id === lastSourceId)?.id ?? sources[0].id);
  const source = sources.find((candidate) => candidate.id === sourceId) ?? sources[0];
  const paragraphs = useFetched((signal) => listSourceParagraphs(source.id, signal), source.id);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const ids = { search: useId(), list: useId(), source: useId(), count: useId() };

  const context = useMemo(() => headingsOfRepeatedLabels(paragraphs.data?.paragraphs ?? []), [paragraphs.data]);
  const results = useMemo(() => searchParagraphs(paragraphs.data?.paragraphs ?? [], query), [paragraphs.data, query]);
  const shown = results.slice(0, MAX_RESULTS);
  const activeParagraph = shown[Math.min(active, shown.length - 1)] ?? null;
  const optionId = (pid: string) => `${ids.list}-${pid}`;

  useEffect(() => searchRef.current?.focus(), [source.id]);
  useEffect(() => setActive(0), [query, source.id]);
  useEffect(() => {
    if (!activeParagraph) return;
    document.getElementById(optionId(activeParagraph.pid))?.scrollIntoView({ block: 'nearest' });
  });

  const insert = (paragraph: SourceParagraph) => {
    lastSourceId = source.id;
    const citeAs = paragraphs.data?.citeAs ?? source.citeAs ?? source.title;
    asUndoStep(editor, () => editor.chain().insertCitation({ sourceId: source.id, pid: paragraph.pid, citeAs, label: paragraph.label }).run());
    onClose();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = shown.length - 1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (last < 0) return;
      const current = Math.min(active, last);
      setActive(event.key === 'ArrowDown' ? Math.min(current + 1, last) : Math.max(current - 1, 0));
    } else if (event.key === 'PageDown' || event.key === 'PageUp') {
      event.preventDefault();
      if (last >= 0) setActive((current) => (event.key === 'PageDown' ? Math.min(current + 8, last) : Math.max(current - 8, 0)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (activeParagraph) insert(activeParagraph);
    }
  };

  const countText =
    paragraphs.data === null
      ? ''
      : results.length === 0
        ? ''
        : query.trim()
          ? `${results.length} ${results.length === 1 ? 'paragraph matches' : 'paragraphs match'}${results.length > MAX_RESULTS ? ` (first ${MAX_RESULTS} shown)` : ''}`
          : `${results.length} paragraphs`;

  return (
    <div className="form">
      {sources.length > 1 && (
        <div className="form__field">
          <label htmlFor={ids.source}>Source paper</label>
          <select id={ids.source} className="input" value={source.id} onChange={(event) => setSourceId(event.target.value)}>
            {sources.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.citeAs ? `${candidate.citeAs} — ${candidate.title}` : candidate.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="form__field">
        <label htmlFor={ids.search}>{sources.length > 1 ? 'Paragraph' : `Paragraph of ${source.citeAs ?? source.title}`}</label>
        <input
          ref={searchRef}
          id={ids.search}
          className="input"
          type="search"
          role="combobox"
          aria-expanded="true"
          aria-controls={ids.list}
          aria-autocomplete="list"
          aria-activedescendant={activeParagraph ? optionId(activeParagraph.pid) : undefined}
          aria-describedby={ids.count}
          placeholder="Number or words, e.g. V.4"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <p id={ids.count} className="citation-picker__count" role="status">
          {countText}
        </p>
      </div>
      {paragraphs.data === null ? (
        paragraphs.error ? (
          <p className="form-error" role="alert">
            Couldn’t load the paragraphs. {messageOf(paragraphs.error)}
          </p>
        ) : (
          <p className="citation-picker__empty" role="status">
            Loading paragraphs…
          </p>
        )
      ) : shown.length === 0 ? (
        <p className="citation-picker__empty">
          {query.trim() ? `No paragraph of ${source.citeAs ?? source.title} matches “${query.trim()}”.` : 'This source paper has no paragraphs.'}
        </p>
      ) : (
        <ul id={ids.list} className="citation-picker__list" role="listbox" aria-label="Paragraphs">
          {shown.map((paragraph) => (
            <li
              key={paragraph.pid}
              id={optionId(paragraph.pid)}
              className={paragraph.kind === 'heading' ? 'citation-picker__option citation-picker__option--heading' : 'citation-picker__option'}
              role="option"
              aria-selected={paragraph === activeParagraph}
              // Keep focus in the search field.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => insert(paragraph)}
            >
              <span className="citation-picker__label">{paragraph.label}</span>
              <span className="citation-picker__words">{firstWords(paragraph.text)}</span>
              {context.has(paragraph.pid) && <span className="citation-picker__context">Under “{context.get(paragraph.pid)}”</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button--primary" disabled={!activeParagraph} onClick={() => activeParagraph && insert(activeParagraph)}>
          Insert citation
        </button>
      </div>
    </div>
  );
}

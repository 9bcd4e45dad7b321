/**
 * The left margin of a source paper, as ProseMirror decorations (never changes to the shared
 * document, which nobody edits): every paragraph and heading shows its `label` ("V.4"), for
 * co-chairs as a button that corrects it, and under it how many annotations it has of each
 * stance ("1 support · 1 concern"); beside it, an "Annotate" button that starts a thread on the
 * whole paragraph. The paragraph a link points to (`#<pid>`) is marked, and the filter "Only
 * annotated paragraphs" hides the others.
 *
 * A thread belongs to the paragraph where its text starts, as the comment-highlight plugin
 * resolves it (so it follows re-imports and label changes like the highlights do).
 */
import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

import type { Stance } from '../../../shared/api/index';
import { commentHighlightsKey, type ThreadLocations } from '../comments/comment-highlights';

/** A stance, or 'comment' for a thread without one. */
type StanceKey = Stance | 'comment';
const STANCE_KEYS: readonly StanceKey[] = ['support', 'concern', 'question', 'proposal', 'comment'];
type StanceCounts = Record<StanceKey, number>;

/** How many annotations each paragraph (by pid) has; paragraphs without any are absent. */
export type ParagraphCounts = ReadonlyMap<string, StanceCounts>;

interface MarginThread {
  id: string;
  stance: Stance | null;
}

interface SourceMarginInput {
  /** False in drafts: no margin at all. */
  enabled: boolean;
  threads: MarginThread[];
  onlyAnnotated: boolean;
  /** The paragraph the address points to (#pid). */
  targetPid: string | null;
  canCorrectLabels: boolean;
  canAnnotate: boolean;
}

export interface SourceMarginOptions {
  onAnnotate: (pid: string) => void;
  /** A co-chair pressed a label; `button` is where to show the correction field. */
  onCorrectLabel: (pid: string, button: HTMLElement) => void;
  /** Called whenever the counts change. */
  onCounts: (counts: ParagraphCounts) => void;
}

const DISABLED: SourceMarginInput = { enabled: false, threads: [], onlyAnnotated: false, targetPid: null, canCorrectLabels: false, canAnnotate: false };

const sourceMarginKey = new PluginKey<SourceMarginInput>('sourceMargin');

/** Sends what the margin should show to the plugin of `view`. */
export function setSourceMargin(view: { state: EditorState; dispatch: (tr: Transaction) => void; isDestroyed: boolean }, input: SourceMarginInput): void {
  if (view.isDestroyed) return;
  view.dispatch(view.state.tr.setMeta(sourceMarginKey, input).setMeta('addToHistory', false));
}

const NOUNS: Record<StanceKey, [string, string]> = {
  support: ['support', 'support'],
  concern: ['concern', 'concerns'],
  question: ['question', 'questions'],
  proposal: ['proposal', 'proposals'],
  comment: ['comment', 'comments'],
};

/** "2 support · 1 concern": the parts of a paragraph's summary, in a fixed order. */
function summaryParts(counts: StanceCounts): { stance: StanceKey; text: string }[] {
  return STANCE_KEYS.filter((stance) => counts[stance] > 0).map((stance) => ({
    stance,
    text: `${counts[stance]} ${NOUNS[stance][counts[stance] === 1 ? 0 : 1]}`,
  }));
}

const isLabelled = (node: ProseMirrorNode) => node.isTextblock && typeof node.attrs.pid === 'string' && node.attrs.pid !== '';

/** Where the text of paragraph `pid` is (inside the block), or null if it isn't in the document. */
export function paragraphRange(doc: ProseMirrorNode, pid: string): { from: number; to: number } | null {
  let found: { from: number; to: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (isLabelled(node) && node.attrs.pid === pid) {
      found = { from: pos + 1, to: pos + node.nodeSize - 1 };
      return false;
    }
    return true;
  });
  return found;
}

function countThreads(doc: ProseMirrorNode, locations: ThreadLocations, threads: MarginThread[]): Map<string, StanceCounts> {
  const counts = new Map<string, StanceCounts>();
  if (!locations.ready) return counts;
  for (const thread of threads) {
    const range = locations.positions.get(thread.id);
    if (!range) continue;
    let pid: string | null = null;
    doc.nodesBetween(range.from, Math.max(range.to, range.from + 1), (node) => {
      if (pid) return false;
      if (isLabelled(node)) pid = node.attrs.pid as string;
      return !node.isTextblock;
    });
    if (!pid) continue;
    const entry = counts.get(pid) ?? { support: 0, concern: 0, question: 0, proposal: 0, comment: 0 };
    entry[thread.stance ?? 'comment'] += 1;
    counts.set(pid, entry);
  }
  return counts;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The "add comment" icon (as in ui/Icon.tsx), built by hand: widgets are plain DOM. */
function commentAddIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [name, value] of Object.entries({ viewBox: '0 0 24 24', width: '18', height: '18', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' })) {
    svg.setAttribute(name, value);
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', 'M5 5h14v10H9l-4 4zM12 7.5v5M9.5 10h5');
  svg.appendChild(path);
  return svg;
}

function marginWidget(pid: string, label: string, counts: StanceCounts | undefined, canCorrect: boolean, options: SourceMarginOptions): HTMLElement {
  const margin = element('span', 'source-margin');
  margin.contentEditable = 'false';
  margin.dataset.marginFor = pid;
  // As high as the block's first line, so the label sits beside it.
  const line = element('span', 'source-margin__line');
  if (canCorrect) {
    const button = element('button', 'source-margin__label', label);
    button.type = 'button';
    button.setAttribute('aria-label', `Paragraph ${label}: correct the label`);
    button.dataset.tooltip = 'Correct the label';
    button.addEventListener('click', () => options.onCorrectLabel(pid, button));
    line.appendChild(button);
  } else {
    line.appendChild(element('span', 'source-margin__label', label));
  }
  margin.appendChild(line);
  if (counts) {
    const summary = element('span', 'source-margin__summary');
    summary.dataset.testid = 'paragraph-annotations';
    summaryParts(counts).forEach((part, index) => {
      if (index > 0) summary.appendChild(element('span', 'source-margin__separator', ' · '));
      const item = element('span', `source-margin__count stance-dot stance-dot--${part.stance}`, part.text);
      summary.appendChild(item);
    });
    margin.appendChild(summary);
  }
  return margin;
}

function annotateWidget(pid: string, label: string, options: SourceMarginOptions): HTMLElement {
  const button = element('button', 'source-annotate');
  button.type = 'button';
  button.contentEditable = 'false';
  button.setAttribute('aria-label', `Annotate paragraph ${label}`);
  button.dataset.tooltip = 'Annotate this paragraph';
  button.appendChild(commentAddIcon());
  // Keep whatever is selected until the click decides.
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', () => options.onAnnotate(pid));
  return button;
}

interface MarginView {
  decorations: DecorationSet;
  counts: ParagraphCounts;
}

export const SourceMargin = Extension.create<SourceMarginOptions>({
  name: 'sourceMargin',

  addOptions() {
    return { onAnnotate: () => undefined, onCorrectLabel: () => undefined, onCounts: () => undefined };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    // Rebuilt only when the document, the thread locations or the input change (not on every selection).
    let cache: { doc: ProseMirrorNode; locations: ThreadLocations | undefined; input: SourceMarginInput; view: MarginView } | null = null;

    const compute = (state: EditorState): MarginView => {
      const input = sourceMarginKey.getState(state) ?? DISABLED;
      const locations = commentHighlightsKey.getState(state)?.locations;
      if (cache && cache.doc === state.doc && cache.locations === locations && cache.input === input) return cache.view;
      let view: MarginView = { decorations: DecorationSet.empty, counts: new Map() };
      if (input.enabled) {
        const counts = locations ? countThreads(state.doc, locations, input.threads) : new Map<string, StanceCounts>();
        const decorations: Decoration[] = [];
        state.doc.descendants((node, pos) => {
          if (!isLabelled(node)) return !node.isTextblock;
          const pid = node.attrs.pid as string;
          const label = typeof node.attrs.label === 'string' && node.attrs.label !== '' ? node.attrs.label : null;
          const paragraphCounts = counts.get(pid);
          const classes = ['source-block'];
          if (paragraphCounts) classes.push('source-block--annotated');
          else if (input.onlyAnnotated) classes.push('source-block--filtered-out');
          if (pid === input.targetPid) classes.push('source-block--target');
          decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: classes.join(' ') }));
          if (label) {
            const summaryKey = paragraphCounts ? STANCE_KEYS.map((stance) => paragraphCounts[stance]).join('.') : '';
            decorations.push(
              Decoration.widget(pos + 1, () => marginWidget(pid, label, paragraphCounts, input.canCorrectLabels, options), {
                key: `margin:${pid}:${label}:${summaryKey}:${input.canCorrectLabels}`,
                side: -2,
                ignoreSelection: true,
                stopEvent: () => true,
              }),
            );
            if (input.canAnnotate) {
              decorations.push(
                Decoration.widget(pos + 1, () => annotateWidget(pid, label, options), {
                  key: `annotate:${pid}:${label}`,
                  side: -1,
                  ignoreSelection: true,
                  stopEvent: () => true,
                }),
              );
            }
          }
          return false;
        });
        view = { decorations: DecorationSet.create(state.doc, decorations), counts };
      }
      cache = { doc: state.doc, locations, input, view };
      return view;
    };

    return [
      new Plugin<SourceMarginInput>({
        key: sourceMarginKey,
        state: {
          init: () => DISABLED,
          apply: (tr, value) => (tr.getMeta(sourceMarginKey) as SourceMarginInput | undefined) ?? value,
        },
        props: {
          decorations: (state) => compute(state).decorations,
          attributes: (state): Record<string, string> => {
            const input = sourceMarginKey.getState(state) ?? DISABLED;
            if (!input.enabled) return {};
            return { class: input.onlyAnnotated ? 'source-text source-text--only-annotated' : 'source-text' };
          },
        },
        view: (editorView) => {
          let reported: ParagraphCounts | null = null;
          const report = () => {
            const { counts } = compute(editorView.state);
            if (counts === reported) return;
            reported = counts;
            options.onCounts(counts);
          };
          return { update: report };
        },
      }),
    ];
  },
});

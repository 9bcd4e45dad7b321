/**
 * Editor behaviour of citations (the node itself is defined in shared/schema): a calm pill that
 * reads "Options Paper V.4"; hovering it, or selecting it with the keyboard, shows the cited
 * paragraph's text in a card; a click (or Enter when it is selected) opens the source at that
 * paragraph. Ctrl+Alt+C opens the citation picker.
 */
import { Extension } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';

import { Citation, citationText, type CitationAttributes } from '../../../../shared/schema/index';
import { getCitedParagraph } from '../../api/citations';
import '../../citations/citations.css';
import { documentPath, navigate } from '../../router';
import { isMac } from '../shortcuts';
import { syncSelectionFromDom } from './editor-shortcuts';

/**
 * Opens the citation picker. ⌘⌥C is Chrome's and Safari's "inspect element" on a Mac, so there
 * it is ⌃⌥C; Ctrl+Alt+C elsewhere (AltGr+C, e.g. Polish "ć", is left alone by ProseMirror).
 */
export const CITE_SHORTCUT = isMac ? 'Ctrl-Alt-c' : 'Mod-Alt-c';

/** Where a citation leads: the source, scrolled to the paragraph (the source view reads `#pid`). */
export function citationHref(attrs: Pick<CitationAttributes, 'sourceId' | 'pid'>): string {
  return `${documentPath(attrs.sourceId)}#${encodeURIComponent(attrs.pid)}`;
}

function openCitation(attrs: CitationAttributes, newTab: boolean): void {
  if (!attrs.sourceId) return;
  const href = citationHref(attrs);
  if (newTab) window.open(href, '_blank', 'noopener');
  else navigate(href);
}

const attributesOf = (attrs: Record<string, unknown>): CitationAttributes => ({
  sourceId: String(attrs.sourceId ?? ''),
  pid: String(attrs.pid ?? ''),
  citeAs: String(attrs.citeAs ?? ''),
  label: String(attrs.label ?? ''),
});

/* The hover card: one for the page, moved to whichever chip it describes. ---------------------- */

const CARD_ID = 'citation-card';
const SHOW_DELAY_MS = 250;
const HIDE_DELAY_MS = 200;
const CARD_GAP = 6;

let card: HTMLElement | null = null;
let cardOwner: HTMLElement | null = null;
let showTimer: number | undefined;
let hideTimer: number | undefined;

function ensureCard(): HTMLElement {
  if (card?.isConnected) return card;
  card = document.createElement('div');
  card.id = CARD_ID;
  card.className = 'citation-card';
  card.setAttribute('role', 'tooltip');
  card.hidden = true;
  // Moving the pointer from the chip into the card keeps it open (to read or select its text).
  card.addEventListener('mouseenter', () => window.clearTimeout(hideTimer));
  card.addEventListener('mouseleave', () => scheduleHide(cardOwner));
  document.body.appendChild(card);
  return card;
}

function place(target: HTMLElement, chip: HTMLElement): void {
  const box = chip.getBoundingClientRect();
  const width = target.offsetWidth;
  const height = target.offsetHeight;
  const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
  const below = box.bottom + CARD_GAP;
  const top = below + height > window.innerHeight - 8 && box.top - CARD_GAP - height > 8 ? box.top - CARD_GAP - height : below;
  target.style.left = `${left}px`;
  target.style.top = `${top}px`;
}

function line(className: string, text: string): HTMLElement {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}

function fill(target: HTMLElement, parts: HTMLElement[]): void {
  target.replaceChildren(...parts);
}

function showCard(chip: HTMLElement, attrs: CitationAttributes, viaKeyboard: boolean): void {
  window.clearTimeout(hideTimer);
  window.clearTimeout(showTimer);
  const target = ensureCard();
  if (cardOwner && cardOwner !== chip) cardOwner.removeAttribute('aria-describedby');
  cardOwner = chip;
  chip.setAttribute('aria-describedby', CARD_ID);
  const hint = line('citation-card__hint', viaKeyboard ? 'Press Enter to open it in the source.' : 'Click to open it in the source.');
  const heading = line('citation-card__source', citationText(attrs));
  fill(target, [heading, line('citation-card__text citation-card__text--loading', 'Loading the paragraph…')]);
  target.hidden = false;
  place(target, chip);
  getCitedParagraph(attrs.sourceId, attrs.pid).then(
    (paragraph) => {
      if (cardOwner !== chip) return;
      if (paragraph === 'gone') {
        fill(target, [heading, line('citation-card__text citation-card__text--gone', 'This paragraph is no longer in the source.')]);
      } else {
        // The label as the source has it now (a co-chair may have corrected it since).
        heading.textContent = citationText(paragraph);
        fill(target, [heading, line('citation-card__text', paragraph.text), hint]);
      }
      place(target, chip);
    },
    () => {
      if (cardOwner !== chip) return;
      fill(target, [heading, line('citation-card__text citation-card__text--gone', 'The paragraph couldn’t be loaded. Check the connection and try again.')]);
      place(target, chip);
    },
  );
}

function hideCard(chip: HTMLElement | null): void {
  window.clearTimeout(showTimer);
  if (!card || cardOwner !== chip) return;
  card.hidden = true;
  chip?.removeAttribute('aria-describedby');
  cardOwner = null;
}

function scheduleHide(chip: HTMLElement | null): void {
  window.clearTimeout(showTimer);
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => hideCard(chip), HIDE_DELAY_MS);
}

// The card is placed where the chip is on screen: it follows the chip when the page scrolls.
window.addEventListener(
  'scroll',
  () => {
    if (card && cardOwner && !card.hidden) place(card, cardOwner);
  },
  { capture: true, passive: true },
);

/* The node and its keys. ----------------------------------------------------------------------- */

export const CitationWithView = Citation.extend({
  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement('cite');
      dom.className = 'citation-chip';
      dom.setAttribute('data-citation', '');
      dom.contentEditable = 'false';
      let attrs = attributesOf(node.attrs);
      const render = () => {
        dom.textContent = citationText(attrs);
        dom.setAttribute('data-source-id', attrs.sourceId);
        dom.setAttribute('data-pid', attrs.pid);
      };
      render();

      dom.addEventListener('mouseenter', () => {
        window.clearTimeout(hideTimer);
        if (cardOwner === dom) return;
        window.clearTimeout(showTimer);
        showTimer = window.setTimeout(() => showCard(dom, attrs, false), SHOW_DELAY_MS);
      });
      dom.addEventListener('mouseleave', () => scheduleHide(dom));
      dom.addEventListener('click', (event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        hideCard(dom);
        openCitation(attrs, event.ctrlKey || event.metaKey || event.shiftKey);
      });
      dom.addEventListener('auxclick', (event) => {
        if (event.button === 1) openCitation(attrs, true);
      });

      return {
        dom,
        update: (updated) => {
          if (updated.type !== node.type) return false;
          attrs = attributesOf(updated.attrs);
          render();
          return true;
        },
        selectNode: () => {
          dom.classList.add('is-selected');
          showCard(dom, attrs, true);
        },
        deselectNode: () => {
          dom.classList.remove('is-selected');
          hideCard(dom);
        },
        destroy: () => hideCard(dom),
        ignoreMutation: () => true,
      };
    };
  },
});

export interface CitationShortcutsOptions {
  /** Opens the citation picker at the selection. */
  onCite: () => void;
}

export const CitationShortcuts = Extension.create<CitationShortcutsOptions>({
  name: 'citationShortcuts',
  // Before the paragraph's Enter, which would replace a selected citation with a line break.
  priority: 1100,

  addOptions() {
    return { onCite: () => undefined };
  },

  addKeyboardShortcuts() {
    return {
      [CITE_SHORTCUT]: () => {
        if (!this.editor.isEditable) return false;
        syncSelectionFromDom(this.editor.view);
        this.options.onCite();
        return true;
      },
      Enter: () => {
        const { selection } = this.editor.state;
        if (!(selection instanceof NodeSelection) || selection.node.type.name !== Citation.name) return false;
        openCitation(attributesOf(selection.node.attrs), false);
        return true;
      },
    };
  },
});

import { mergeAttributes, Node } from '@tiptap/core';

export interface CitationOptions {
  HTMLAttributes: Record<string, unknown>;
}

/** What a citation points at, and how it reads ("Options Paper V.4"). */
export interface CitationAttributes {
  /** The source paper (a document of kind 'source'). */
  sourceId: string;
  /** The paragraph's stable id in the source: kept by re-imports, so the citation keeps resolving. */
  pid: string;
  /** The source's short name and the paragraph's label when the citation was made. */
  citeAs: string;
  label: string;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    citation: {
      /** Inserts a citation chip at the selection (replacing it). */
      insertCitation: (citation: CitationAttributes) => ReturnType;
    };
  }
}

/** The text a citation reads as, in the editor and in every export. */
export function citationText(attrs: Pick<CitationAttributes, 'citeAs' | 'label'>): string {
  return [attrs.citeAs, attrs.label].filter((part) => part.trim() !== '').join(' ');
}

const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 200) : '');

/**
 * A citation of a source paper's paragraph: an inline atom, `{ "type": "citation", "attrs":
 * { sourceId, pid, citeAs, label } }` in ProseMirror JSON. It reads as "Options Paper V.4";
 * what it points at is (sourceId, pid), so it survives edits of the draft and re-imports of the
 * source.
 *
 * HTML form: `<cite data-citation data-source-id data-pid data-cite-as data-label>Options Paper V.4</cite>`.
 */
export const Citation = Node.create<CitationOptions>({
  name: 'citation',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addOptions() {
    return { HTMLAttributes: {} };
  },

  addAttributes() {
    return {
      sourceId: { default: '', parseHTML: (element) => text(element.getAttribute('data-source-id')), renderHTML: (attrs) => ({ 'data-source-id': attrs.sourceId }) },
      pid: { default: '', parseHTML: (element) => text(element.getAttribute('data-pid')), renderHTML: (attrs) => ({ 'data-pid': attrs.pid }) },
      citeAs: { default: '', parseHTML: (element) => text(element.getAttribute('data-cite-as')), renderHTML: (attrs) => ({ 'data-cite-as': attrs.citeAs }) },
      label: { default: '', parseHTML: (element) => text(element.getAttribute('data-label')), renderHTML: (attrs) => ({ 'data-label': attrs.label }) },
    };
  },

  parseHTML() {
    return [{ tag: 'cite[data-citation]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return ['cite', mergeAttributes(this.options.HTMLAttributes, { 'data-citation': '' }, HTMLAttributes), citationText(node.attrs as CitationAttributes)];
  },

  renderText({ node }) {
    return citationText(node.attrs as CitationAttributes);
  },

  addCommands() {
    return {
      insertCitation:
        (citation) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { sourceId: citation.sourceId, pid: citation.pid, citeAs: text(citation.citeAs), label: text(citation.label) } }),
    };
  },
});

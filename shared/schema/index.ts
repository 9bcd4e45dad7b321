/**
 * The Concord document schema: the one list of Tiptap extensions that defines what a document
 * can contain. The browser editor builds on it, and the server can call `getDocumentSchema()`
 * on the same list to validate or export content (PDF/DOCX). Importing this module touches no
 * DOM, so it works in Node.
 */
import { getSchema, type AnyExtension, type Extensions } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { TableKit } from '@tiptap/extension-table';
import { StarterKit } from '@tiptap/starter-kit';

import { Citation } from './citation';
import { Footnote } from './footnote';
import { isAllowedLinkHref } from './links';
import { SourceParagraphAttributes } from './source-paragraphs';

export { Citation, citationText } from './citation';
export type { CitationAttributes, CitationOptions } from './citation';
export { Footnote, FOOTNOTE_MAX_LENGTH } from './footnote';
export type { FootnoteOptions } from './footnote';
export { ALLOWED_LINK_PROTOCOLS, isAllowedLinkHref, normalizeLinkInput } from './links';
export { listFootnotes, META_NUMBERED_HEADINGS, numberHeadings } from './numbering';
export { SourceParagraphAttributes } from './source-paragraphs';
export type { FootnoteEntry, HeadingNumber } from './numbering';

/** Heading levels a document uses (1, 1.1, 1.1.1 in the group's papers). */
export const HEADING_LEVELS = [1, 2, 3] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];

export interface DocumentExtensionOptions {
  /**
   * The footnote node to use. The editor passes `Footnote.extend({ … })` with its node view and
   * keyboard handling; the node's name, attributes and HTML stay those of `Footnote`.
   */
  footnote?: AnyExtension;
  /** The citation node to use (the editor's has a node view); name, attributes and HTML those of `Citation`. */
  citation?: AnyExtension;
}

/**
 * The extensions that define document content: paragraphs, headings 1–3, bold, italic,
 * underline, strike, links (http/https/mailto only), bullet and ordered lists, block quotes,
 * horizontal rules, hard breaks, tables, footnotes and citations of source paragraphs; paragraphs and headings carry the
 * `pid`/`label` attributes that source papers use (null in drafts).
 *
 * Code marks and code blocks are left out on purpose: policy papers don't use them, and every
 * node kind here is one more thing the exporters must support. StarterKit's own undo/redo is
 * disabled because collaborative undo (only your own edits) comes from the Collaboration
 * extension.
 */
export function createDocumentExtensions(options: DocumentExtensionOptions = {}): Extensions {
  return [
    StarterKit.configure({
      code: false,
      codeBlock: false,
      undoRedo: false,
      heading: { levels: [...HEADING_LEVELS] },
      link: {
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: 'https',
        protocols: ['mailto'],
        HTMLAttributes: { target: '_blank', rel: 'noopener noreferrer nofollow', class: null },
        // One rule for every way a link can arrive: typing (autolink), the link command,
        // pasted or parsed HTML, and rendering (a disallowed href is rendered empty).
        isAllowedUri: (url) => isAllowedLinkHref(url),
        // Autolinking sees bare text like "example.org" before a protocol is added; only text
        // without a scheme or with an allowed one becomes a link.
        shouldAutoLink: (url) => {
          const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1];
          if (scheme) return isAllowedLinkHref(url);
          return /^[^\s/?#]+\.[^\s/?#]+/.test(url);
        },
      },
    }),
    TableKit.configure({
      table: { resizable: false, allowTableNodeSelection: true },
    }),
    options.footnote ?? Footnote,
    options.citation ?? Citation,
    SourceParagraphAttributes,
  ];
}

/** The content extensions with default (node-view-less) footnotes. */
export const documentExtensions: Extensions = createDocumentExtensions();

let cachedSchema: Schema | null = null;

/** The ProseMirror schema of a Concord document (built once). */
export function getDocumentSchema(): Schema {
  cachedSchema ??= getSchema(documentExtensions);
  return cachedSchema;
}

/**
 * Browser entry for paste-cleanup.test.ts: exposes the paste clean-up and the document schema's
 * HTML parser on `window.pasteHarness`, so the test can run them in real Chromium (the clean-up
 * needs a DOM) and inspect what would end up in a document.
 */
import { DOMParser as ProseMirrorDOMParser } from '@tiptap/pm/model';

import { cleanPastedHtml } from '../../client/src/editor/paste/clean-pasted-html';
import { getDocumentSchema } from '../../shared/schema/index';

function toDocumentJson(html: string): unknown {
  const cleaned = cleanPastedHtml(html);
  const body = new DOMParser().parseFromString(cleaned, 'text/html').body;
  return ProseMirrorDOMParser.fromSchema(getDocumentSchema()).parse(body).toJSON();
}

(window as unknown as { pasteHarness: unknown }).pasteHarness = {
  clean: (html: string) => cleanPastedHtml(html),
  toDocumentJson,
};

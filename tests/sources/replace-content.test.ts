/**
 * Re-importing replaces a source's content in place (server/src/sources/replace-content.ts):
 * unchanged paragraphs keep their Yjs items even deep inside lists and tables, so anchors into
 * them keep resolving, and the result is exactly the new content.
 */
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getDocumentSchema } from '../../shared/schema/index';
import { replaceContent } from '../../server/src/sources/index';

const para = (pid: string, text: string, label = pid) => ({ type: 'paragraph', attrs: { pid, label }, content: [{ type: 'text', text }] });
const list = (...items: object[]) => ({ type: 'bulletList', content: items.map((item) => ({ type: 'listItem', content: [item] })) });
const table = (...cells: object[]) => ({ type: 'table', content: [{ type: 'tableRow', content: cells.map((cell) => ({ type: 'tableCell', content: [cell] })) }] });
const docOf = (...content: object[]) => prosemirrorJSONToYDoc(getDocumentSchema(), { type: 'doc', content }, 'default');

/** The XmlText of the paragraph with this pid. */
function textOf(doc: Y.Doc, pid: string): Y.XmlText {
  const search = (parent: Y.XmlFragment | Y.XmlElement): Y.XmlText | null => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.getAttribute('pid') === pid) return child.get(0) as Y.XmlText;
      const found = search(child);
      if (found) return found;
    }
    return null;
  };
  const found = search(doc.getXmlFragment('default'));
  if (!found) throw new Error(`no paragraph ${pid}`);
  return found;
}

describe('replacing a source\'s content', () => {
  it('keeps the items of unchanged paragraphs in lists and tables, edits changed ones in place', () => {
    const target = docOf(para('a', 'Intro'), list(para('b', 'First item'), para('c', 'Second item')), table(para('d', 'Cell one'), para('e', 'Cell two')));
    const keptB = textOf(target, 'b');
    const keptE = textOf(target, 'e');
    const editedC = textOf(target, 'c');
    const anchor = Y.createRelativePositionFromTypeIndex(editedC, 'Second '.length);
    const source = docOf(
      para('a', 'Intro'),
      para('n', 'A new paragraph'),
      list(para('b', 'First item'), para('c', 'Second item, revised', 'c2'), para('f', 'Third item')),
      table(para('d', 'Cell 1'), para('e', 'Cell two')),
    );
    replaceContent(target, source);
    expect(target.getXmlFragment('default').toString()).toBe(source.getXmlFragment('default').toString());
    expect(textOf(target, 'b')).toBe(keptB);
    expect(textOf(target, 'e')).toBe(keptE);
    expect(textOf(target, 'c')).toBe(editedC);
    // An anchor inside the edited paragraph still points at the same word.
    const position = Y.createAbsolutePositionFromRelativePosition(anchor, target)!;
    expect(position.type).toBe(editedC);
    expect(editedC.toString().slice(position.index)).toBe('item, revised');
  });
});

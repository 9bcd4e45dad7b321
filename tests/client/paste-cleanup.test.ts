/**
 * Paste clean-up (client/src/editor/paste/clean-pasted-html.ts) on realistic clipboard HTML
 * from Word for Windows and Google Docs. It runs in headless Chromium because it works on a real
 * DOM: the module and the shared document schema are bundled with Vite and loaded into a blank
 * page; the test checks both the cleaned HTML and the document ProseMirror builds from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser } from '../e2e/support/browser';
import { REPO_ROOT } from '../e2e/support/server';

interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'tests/client/fixtures', name), 'utf8');

function textOf(node: PmNode): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(textOf).join('');
}

function all(node: PmNode, type: string): PmNode[] {
  const found: PmNode[] = [];
  const visit = (current: PmNode) => {
    if (current.type === type) found.push(current);
    current.content?.forEach(visit);
  };
  visit(node);
  return found;
}

/** Text runs with their marks, e.g. { text: 'charter', marks: ['link'] }. */
function runs(node: PmNode): { text: string; marks: string[]; href?: unknown }[] {
  return all(node, 'text').map((text) => ({
    text: text.text ?? '',
    marks: (text.marks ?? []).map((mark) => mark.type).sort(),
    href: text.marks?.find((mark) => mark.type === 'link')?.attrs?.href,
  }));
}

function runWith(node: PmNode, text: string) {
  const run = runs(node).find((candidate) => candidate.text.includes(text));
  if (!run) throw new Error(`no text run containing "${text}" in ${JSON.stringify(runs(node).map((r) => r.text))}`);
  return run;
}

let browser: Browser;
let page: Page;

async function clean(html: string): Promise<string> {
  return page.evaluate((input) => (window as unknown as { pasteHarness: { clean: (h: string) => string } }).pasteHarness.clean(input), html);
}

async function toDocument(html: string): Promise<PmNode> {
  return page.evaluate(
    (input) => (window as unknown as { pasteHarness: { toDocumentJson: (h: string) => PmNode } }).pasteHarness.toDocumentJson(input),
    html,
  );
}

beforeAll(async () => {
  const result = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      lib: { entry: join(REPO_ROOT, 'tests/client/paste-harness.entry.ts'), formats: ['iife'], name: 'PasteHarness', fileName: 'paste-harness' },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result) as { output: { code?: string }[] };
  const code = output.output[0].code;
  if (!code) throw new Error('paste harness bundle is empty');
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: code });
});

afterAll(async () => {
  await browser?.close();
});

describe('paste from Word (desktop, Windows clipboard HTML)', () => {
  it('drops Office markup: mso styles, Mso classes, <o:p>, conditional comments, head and style', async () => {
    const cleaned = await clean(fixture('word-desktop.html'));
    expect(cleaned).not.toMatch(/mso-|class=|style=|<o:p|<!--|<style|<meta|supportLists|lang=/i);
    expect(cleaned).not.toContain('[1]');
    expect(cleaned).not.toContain('·');
  });

  it('keeps the title and headings, without Word’s typed heading number', async () => {
    const doc = await toDocument(fixture('word-desktop.html'));
    const headings = all(doc, 'heading').map((heading) => [heading.attrs?.level, textOf(heading)]);
    expect(headings).toEqual([
      [1, 'Contribution to the IGF Expert Group Meeting'],
      [1, 'Acknowledgements'],
      [2, 'Focus'],
    ]);
  });

  it('keeps bold, italic, underline and web links; refuses javascript: and in-page links', async () => {
    const doc = await toDocument(fixture('word-desktop.html'));
    expect(runWith(doc, 'Working Group').marks).toEqual(['bold']);
    expect(runWith(doc, 'gratitude').marks).toEqual(['italic']);
    expect(runWith(doc, 'members').marks).toEqual(['underline']);
    expect(runWith(doc, 'charter')).toMatchObject({ marks: ['link'], href: 'https://www.intgovforum.org/en/content/wg-strategy' });
    const unsafe = runs(doc).filter((run) => run.text.includes('this') || run.text.includes('contents'));
    expect(unsafe.length).toBeGreaterThan(0);
    for (const run of unsafe) expect(run.marks).not.toContain('link');
    expect(JSON.stringify(doc)).not.toContain('javascript:');
  });

  it('turns the footnote reference and its note into one footnote node, and drops the notes section', async () => {
    const doc = await toDocument(fixture('word-desktop.html'));
    const footnotes = all(doc, 'footnote');
    expect(footnotes).toHaveLength(1);
    expect(footnotes[0].attrs?.note).toBe('Concettina Cassa, former MAG member; Amrita Choudhury, IGF MAG member.');
    const paragraphs = all(doc, 'paragraph').map(textOf);
    expect(paragraphs.some((text) => text.includes('Concettina'))).toBe(false);
    expect(all(doc, 'horizontalRule')).toHaveLength(0);
  });

  it('rebuilds list paragraphs into nested bullet and numbered lists without the typed markers', async () => {
    const doc = await toDocument(fixture('word-desktop.html'));
    const [bullets] = all(doc, 'bulletList');
    expect(bullets.content?.map((item) => textOf(item.content![0]))).toEqual(['The mandate in the Tunis Agenda', 'Broader discussions on digital cooperation']);
    const nested = all(bullets.content![0], 'bulletList');
    expect(nested).toHaveLength(1);
    expect(textOf(nested[0])).toBe('A forward-looking approach');
    const [numbered] = all(doc, 'orderedList');
    expect(numbered.content?.map(textOf)).toEqual(['Response to the Options Paper', 'Parliamentary track non-paper']);
  });

  it('keeps the four-column table (its all-bold first row as header) and drops Word’s empty spacing paragraphs', async () => {
    const doc = await toDocument(fixture('word-desktop.html'));
    const [table] = all(doc, 'table');
    expect(table.content).toHaveLength(2);
    expect(table.content![0].content!.map((cell) => cell.type)).toEqual(['tableHeader', 'tableHeader', 'tableHeader', 'tableHeader']);
    expect(table.content![1].content!.map((cell) => cell.type)).toEqual(['tableCell', 'tableCell', 'tableCell', 'tableCell']);
    expect(runs(table.content![0]).every((run) => run.marks.length === 0)).toBe(true);
    expect(table.content!.map((row) => row.content!.map(textOf))).toEqual([
      ['Area of work', 'Roadmap activities', 'IGF activities', 'Synergies'],
      ['Global connectivity', 'Baseline of connectivity', 'BPF on Meaningful Access', ''],
    ]);
    const topLevelParagraphs = (doc.content ?? []).filter((node) => node.type === 'paragraph');
    for (const paragraph of topLevelParagraphs) expect(textOf(paragraph).trim().length + all(paragraph, 'footnote').length).toBeGreaterThan(0);
  });
});

describe('paste from Google Docs', () => {
  it('unwraps the docs-internal-guid <b> and drops every span style', async () => {
    const cleaned = await clean(fixture('google-docs.html'));
    expect(cleaned).not.toMatch(/docs-internal-guid|style=|<span|dir=|<colgroup|role=/);
    expect(cleaned.startsWith('<b')).toBe(false);
  });

  it('keeps headings without turning them bold, and maps level 4 to level 3', async () => {
    const doc = await toDocument(fixture('google-docs.html'));
    const headings = all(doc, 'heading');
    expect(headings.map((heading) => [heading.attrs?.level, textOf(heading)])).toEqual([
      [1, 'Next Steps'],
      [3, 'Annex 2: participants'],
    ]);
    for (const heading of headings) for (const run of runs(heading)) expect(run.marks).toEqual([]);
  });

  it('turns meaningful span styles into marks and keeps links without a spurious underline', async () => {
    const doc = await toDocument(fixture('google-docs.html'));
    expect(runWith(doc, 'Improvements to the IGF.').marks).toEqual(['bold']);
    expect(runWith(doc, ' Flavio will draft').marks).toEqual([]);
    expect(runWith(doc, '(draft)').marks).toEqual(['italic']);
    expect(runWith(doc, 'by June').marks).toEqual(['strike']);
    expect(runWith(doc, 'IGF retreat outputs')).toMatchObject({ marks: ['link'], href: 'https://www.intgovforum.org/en/content/igf-retreat' });
  });

  it('fixes Google’s mis-nested sub-list and keeps the list structure', async () => {
    const doc = await toDocument(fixture('google-docs.html'));
    const [list] = all(doc, 'bulletList');
    expect(list.content?.map((item) => textOf(item.content![0]))).toEqual(['Strengthening IGF outcomes', 'MAG TOR improvements']);
    const nested = all(list.content![0], 'bulletList');
    expect(nested.map(textOf)).toEqual(['5 to 7 recommendations']);
  });

  it('keeps the table and turns the footnote into a footnote node', async () => {
    const doc = await toDocument(fixture('google-docs.html'));
    const [table] = all(doc, 'table');
    expect(table.content!.map((row) => row.content!.map(textOf))).toEqual([
      ['Name', 'Affiliation'],
      ['Anriette Esterhuysen', 'IGF 2020 MAG Chair'],
    ]);
    expect(table.content![0].content!.map((cell) => cell.type)).toEqual(['tableHeader', 'tableHeader']);
    expect(table.content![1].content!.map((cell) => cell.type)).toEqual(['tableCell', 'tableCell']);
    const footnotes = all(doc, 'footnote');
    expect(footnotes.map((note) => note.attrs?.note)).toEqual(['Outputs of the IGF retreat, 2016.']);
    expect(JSON.stringify(doc)).not.toContain('[1]');
    expect(all(doc, 'horizontalRule')).toHaveLength(0);
  });
});

describe('paste from anywhere', () => {
  it('leaves HTML copied from the editor itself untouched', async () => {
    const html = '<p data-pm-slice="1 1 []">Hello <strong>there</strong></p>';
    expect(await clean(html)).toBe(html);
  });

  it('removes scripts, event handlers and unsafe links from arbitrary web pages', async () => {
    const cleaned = await clean(
      '<div class="post"><script>alert(1)</script><p onclick="steal()">Read <a href="javascript:alert(1)">this</a>, ' +
        '<a href="data:text/html,evil">that</a> and <a href="mailto:wg@intgovforum.org">write to us</a>.</p><img src="x" onerror="alert(1)"></div>',
    );
    expect(cleaned).not.toMatch(/script|onclick|onerror|javascript:|data:text/);
    expect(cleaned).toContain('<a href="mailto:wg@intgovforum.org">write to us</a>');
    expect(cleaned).toContain('this');
  });
});

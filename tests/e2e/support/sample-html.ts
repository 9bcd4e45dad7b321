/**
 * Turns one of the working group's plain-text papers (shared/samples/*.txt) into the HTML a
 * person would paste from a word processor: numbered section headings, sub-headings, bullet
 * lists, the footnote, and the tab-separated annex table. Used to fill documents with realistic
 * content in browser tests.
 */
import { readFileSync } from 'node:fs';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline text: markdown links with a real target become links; "[text](#)" keeps the text. */
function inline(text: string, footnotes: Map<string, string>): string {
  let html = escapeHtml(text);
  html = html.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
  html = html.replace(/\[([^\]]+)\]\(#\)/g, '$1');
  html = html.replace(/\\([()])/g, '$1');
  html = html.replace(/&lt;(https?:\/\/[^&\s]+)&gt;/g, '<a href="$1">$1</a>');
  html = html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  for (const [mark, note] of footnotes) {
    html = html.split(mark).join(`<sup data-footnote="" data-note="${escapeHtml(note)}">${mark}</sup>`);
  }
  return html;
}

/** Cells of the annex hold HTML fragments already; only stray text needs escaping. */
function cell(text: string): string {
  const trimmed = text.trim();
  if (!/<\/?(p|ul|li|u)\b/.test(trimmed)) return `<p>${escapeHtml(trimmed)}</p>`;
  // "<ul> • one • two </ul>" (bullets typed as text) becomes a real list.
  return trimmed.replace(/<ul[^>]*>([\s\S]*?)(<\/ul>|$)/g, (_all, body: string) => {
    const items = body.split('•').map((item) => item.trim()).filter(Boolean);
    return `<ul>${items.map((item) => `<li><p>${item}</p></li>`).join('')}</ul>`;
  });
}

export function sampleToHtml(path: string, options: { maxTableRows?: number } = {}): string {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const footnotes = new Map<string, string>();
  for (const line of lines) {
    const match = /^([¹²³⁴⁵⁶⁷⁸⁹])\s+(.+)$/.exec(line.trim());
    if (match) footnotes.set(match[1], match[2]);
  }

  const out: string[] = [];
  let list: string[] | null = null;
  let table: string[][] | null = null;
  const flushList = () => {
    if (list) out.push(`<ul>${list.map((item) => `<li><p>${item}</p></li>`).join('')}</ul>`);
    list = null;
  };
  const flushTable = () => {
    if (table) {
      const rows = table.slice(0, (options.maxTableRows ?? 50) + 1);
      const width = Math.max(...rows.map((row) => row.length));
      const html = rows
        .map((row, index) => {
          const tag = index === 0 ? 'th' : 'td';
          const cells = Array.from({ length: width }, (_, column) => `<${tag}>${cell(row[column] ?? '')}</${tag}>`);
          return `<tr>${cells.join('')}</tr>`;
        })
        .join('');
      out.push(`<table><tbody>${html}</tbody></table>`);
    }
    table = null;
  };

  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (/^[¹²³⁴⁵⁶⁷⁸⁹]\s/.test(line)) continue; // footnote text, attached to its reference
    if (/^Table of Contents$/i.test(line) || /\t\d+$/.test(raw)) continue; // a pasted TOC is regenerated, not typed
    if (raw.includes('\t') && raw.split('\t').length >= 3) {
      flushList();
      table ??= [];
      const cells = raw.split('\t');
      if (raw.startsWith('\t') && table.length > 1) {
        // A continuation line of the previous row (the annex wraps long cells).
        const previous = table[table.length - 1];
        cells.forEach((text, index) => {
          if (text.trim()) previous[index] = `${previous[index] ?? ''} ${text}`;
        });
      } else {
        table.push(cells);
      }
      continue;
    }
    flushTable();
    const heading = /^\d+\.\s+([A-Z][A-Z\s\-–’'()]+)$/.exec(line);
    if (heading) {
      flushList();
      out.push(`<h1>${escapeHtml(heading[1].trim())}</h1>`);
      continue;
    }
    if (/^ANNEX\b/i.test(line)) {
      flushList();
      out.push(`<h1>${escapeHtml(line)}</h1>`);
      continue;
    }
    if (/^[A-B]\d\s+-\s+/.test(line)) {
      flushList();
      out.push(`<h2>${inline(line, footnotes)}</h2>`);
      continue;
    }
    const bullet = /^-\s+(.+)$/.exec(line);
    if (bullet) {
      list ??= [];
      list.push(inline(bullet[1], footnotes));
      continue;
    }
    flushList();
    out.push(`<p>${inline(line, footnotes)}</p>`);
  }
  flushList();
  flushTable();
  return out.join('\n');
}

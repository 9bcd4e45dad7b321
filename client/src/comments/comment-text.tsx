/**
 * Comment bodies are plain text, whatever they contain: they are shown with React text nodes only
 * (never as HTML), with two things recognised on display: web and email addresses (http:, https:
 * and mailto: only, checked with the URL parser) become links that open in a new tab, and
 * `@Name` of the people the comment mentions is highlighted.
 */
import type { ReactNode } from 'react';

export type CommentToken =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; personId: string };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Candidates: from the scheme to the next space or character that can't be in a bare address. */
const ADDRESS = /\b(?:https?:\/\/|mailto:)[^\s<>"'`{}|\\^]+/gi;

/** Punctuation that ends a sentence rather than the address ("see https://igf.org."). */
function trimTrailing(candidate: string): string {
  let text = candidate;
  for (;;) {
    const last = text.at(-1);
    if (!last) return text;
    if ('.,;:!?*'.includes(last)) {
      text = text.slice(0, -1);
      continue;
    }
    // A closing bracket belongs to the address only if it opened one ("wiki/Foo_(bar)").
    const pairs: Record<string, string> = { ')': '(', ']': '[' };
    if (last in pairs) {
      const opened = text.split(pairs[last]).length - 1;
      const closed = text.split(last).length - 1;
      if (closed > opened) {
        text = text.slice(0, -1);
        continue;
      }
    }
    return text;
  }
}

/** A safe href for `text`, or null: only absolute http(s) addresses with a host, and mailto. */
export function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  if (url.protocol === 'mailto:' && url.pathname.length === 0) return null;
  return url.href;
}

interface Span {
  start: number;
  end: number;
  token: CommentToken;
}

/** Splits a body into text, links and mentions (of the given people, longest names first). */
export function tokenize(body: string, mentions: readonly { id: string; name: string }[] = []): CommentToken[] {
  const spans: Span[] = [];
  for (const match of body.matchAll(ADDRESS)) {
    const text = trimTrailing(match[0]);
    const href = safeHref(text);
    if (href && match.index !== undefined) spans.push({ start: match.index, end: match.index + text.length, token: { kind: 'link', text, href } });
  }
  const people = [...mentions].filter((person) => person.name.trim()).sort((a, b) => b.name.length - a.name.length);
  for (const person of people) {
    const needle = `@${person.name}`;
    let from = 0;
    for (;;) {
      const index = body.indexOf(needle, from);
      if (index < 0) break;
      from = index + needle.length;
      const span = { start: index, end: index + needle.length };
      if (spans.some((other) => other.start < span.end && span.start < other.end)) continue;
      spans.push({ ...span, token: { kind: 'mention', text: needle, personId: person.id } });
    }
  }
  spans.sort((a, b) => a.start - b.start);

  const tokens: CommentToken[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    if (span.start > at) tokens.push({ kind: 'text', text: body.slice(at, span.start) });
    tokens.push(span.token);
    at = span.end;
  }
  if (at < body.length) tokens.push({ kind: 'text', text: body.slice(at) });
  return tokens;
}

/** A comment's body, safely: text nodes, checked links, highlighted mentions. */
export function CommentText({ body, mentions, selfId }: { body: string; mentions?: readonly { id: string; name: string }[]; selfId?: string }) {
  const parts: ReactNode[] = tokenize(body, mentions).map((token, index) => {
    if (token.kind === 'link') {
      return (
        <a key={index} href={token.href} target="_blank" rel="noopener noreferrer" className="comment-link">
          {token.text}
        </a>
      );
    }
    if (token.kind === 'mention') {
      return (
        <span key={index} className={token.personId === selfId ? 'comment-mention comment-mention--self' : 'comment-mention'}>
          {token.text}
        </span>
      );
    }
    return token.text;
  });
  return <p className="comment__body">{parts}</p>;
}

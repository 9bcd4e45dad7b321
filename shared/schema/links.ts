/**
 * Which link targets a document may contain. Policy drafts link to web pages and e-mail
 * addresses only; anything else (javascript:, data:, file:, vbscript:, relative or in-page
 * anchors that mean nothing outside the original file) is refused when typing, pasting,
 * parsing HTML and rendering.
 */
export const ALLOWED_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

// Browsers ignore ASCII control characters and whitespace inside a scheme ("java\nscript:"),
// so they are removed before looking at the scheme.
// eslint-disable-next-line no-control-regex
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;

/** True when `href` is an absolute http(s) or mailto URL. */
export function isAllowedLinkHref(href: string | null | undefined): boolean {
  if (typeof href !== 'string') return false;
  const compact = href.replace(IGNORED_IN_SCHEME, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  if (!scheme || !(ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(scheme)) return false;
  if (scheme === 'mailto') return compact.length > 'mailto:'.length;
  // http(s) needs a host: "https://" alone or "http:foo" are not links anyone can follow.
  return /^https?:\/\/[^/?#\s]+/i.test(compact);
}

/**
 * Turns what a person typed into the link dialog into an allowed href, or null.
 * "example.org/page" becomes "https://example.org/page"; "name@example.org" becomes a mailto link.
 */
export function normalizeLinkInput(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return isAllowedLinkHref(trimmed) ? trimmed : null;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(trimmed)) return `mailto:${trimmed}`;
  if (/^\/\//.test(trimmed)) return isAllowedLinkHref(`https:${trimmed}`) ? `https:${trimmed}` : null;
  // A bare host name needs at least one dot ("example.org"); "localhost" or "#anchor" are refused.
  if (/^[^\s/?#.]+(\.[^\s/?#.]+)+([/?#]\S*)?$/.test(trimmed)) return `https://${trimmed}`;
  return null;
}

// How a citation of a source paragraph reads in every export: "Options Paper V.4" (the same
// words as citationText in shared/schema/citation.ts, which the workers can't load: TypeScript).
const part = (value) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '');

export const citationText = (attrs) => [part(attrs?.citeAs), part(attrs?.label)].filter(Boolean).join(' ');

export { encodeAnchor, resolveAnchor } from './anchors';
export type { ProsemirrorMapping } from './anchors';

/** Path prefix of the collaboration websocket: `ws://HOST:PORT/collab/<documentId>`. */
export const COLLAB_PATH = '/collab';

/** Name of the Y.XmlFragment holding the editor content (Tiptap's and y-prosemirror's default). */
export const CONTENT_FRAGMENT = 'default';

/** Name of the Y.Map holding document metadata that collaborators see live (e.g. the title). */
export const META_MAP = 'meta';

/** Key of the title in the META_MAP. */
export const META_TITLE = 'title';

/**
 * Shape of the `user` field of an awareness state. The server overwrites it with the signed-in
 * person's name and colour, so nobody can appear under someone else's name.
 */
export interface AwarenessUser {
  name: string;
  color: string;
  /** Set by the server for someone who can only read this document (an observer, anyone on a source paper). */
  viewing?: true;
}

/**
 * Calm, distinguishable colours. Each has a contrast of at least 4.5:1 with white, because names
 * are written in white on them (caret labels, avatar initials), and each is a 6-digit hex colour
 * (the caret extension accepts only that form).
 */
export const USER_COLORS = [
  '#1565C0', '#C2185B', '#2E7D32', '#7B1FA2', '#B45309', '#00796B',
  '#3949AB', '#C62828', '#6D4C41', '#0F766E', '#5E35B1', '#455A64',
] as const;

/** A person's colour, the same on every device: derived from their user id. */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return USER_COLORS[hash % USER_COLORS.length];
}

/** Path prefix of the collaboration websocket: `ws://HOST:PORT/collab/<documentId>`. */
export const COLLAB_PATH = '/collab';

/** Name of the Y.XmlFragment holding the editor content (Tiptap's and y-prosemirror's default). */
export const CONTENT_FRAGMENT = 'default';

/** Name of the Y.Map holding document metadata that collaborators see live (e.g. the title). */
export const META_MAP = 'meta';

/** Key of the title in the META_MAP. */
export const META_TITLE = 'title';

/** Shape of the `user` field every client puts in its awareness state. */
export interface AwarenessUser {
  name: string;
  color: string;
}

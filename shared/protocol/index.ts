export { CloseCode } from './close-codes';
export { COLLAB_PATH, CONTENT_FRAGMENT, META_MAP, META_TITLE } from './collab';
export type { AwarenessUser } from './collab';
export { DOCUMENT_ID_PATTERN, isDocumentId, newDocumentId } from './ids';

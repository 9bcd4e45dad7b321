export { CloseCode } from './close-codes';
export { COLLAB_PATH, colorForUser, CONTENT_FRAGMENT, META_MAP, META_TITLE, USER_COLORS } from './collab';
export type { AwarenessUser } from './collab';
export { DOCUMENT_ID_PATTERN, isDocumentId, newId } from './ids';

export { ApiErrorBody } from './errors';
export {
  ActiveEditor,
  CreateDocumentRequest,
  DocumentId,
  DocumentSummary,
  DocumentTitle,
  ListDocumentsQuery,
  ListDocumentsResponse,
  TITLE_MAX_LENGTH,
  UNTITLED,
  UpdateDocumentRequest,
} from './documents';

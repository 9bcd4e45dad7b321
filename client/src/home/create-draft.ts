import { createDocument } from '../api/documents';
import { documentPath, navigate } from '../router';

/** Creates a draft in the group and opens it with its title selected, ready to type. */
export async function createDraftAndOpen(groupId: string, title?: string): Promise<void> {
  const created = await createDocument(title ? { groupId, title } : { groupId });
  navigate(documentPath(created.id), { state: { justCreated: true } });
}

/**
 * The copies of documents this browser keeps in IndexedDB for offline editing: their names, and
 * removing them. Apart from the editor (collab-session.ts) so that the pages that only remove them
 * (sign-out, the document list) do not load Yjs and the editor with it.
 */

export function localDatabaseName(documentId: string): string {
  return `concord-doc-${documentId}`;
}

/** Deletes the local copy of a document (after it was deleted on the server). */
export function deleteLocalCopy(documentId: string): void {
  try {
    indexedDB.deleteDatabase(localDatabaseName(documentId));
  } catch {
    // No IndexedDB: nothing stored.
  }
}

/** Deletes every document copy kept on this device (on sign-out). */
export async function deleteAllLocalCopies(): Promise<void> {
  try {
    const databases = await indexedDB.databases();
    for (const database of databases) {
      if (database.name?.startsWith(localDatabaseName(''))) indexedDB.deleteDatabase(database.name);
    }
  } catch {
    // No IndexedDB, or a browser without databases(): nothing we can list.
  }
}

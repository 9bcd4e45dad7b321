import type { AccountStore } from './account-store';
import type { CommentStore } from './comment-store';
import type { CitationStore, DocStore } from './doc-store';
import type { GroupStore } from './group-store';
import type { NotificationStore } from './notification-store';
import type { PriorityStore } from './priority-store';
import type { VersionStore } from './version-store';

/** Everything the server keeps, behind one adapter (SQLite embedded; PostgreSQL for scale-out). */
export type Store = DocStore & AccountStore & GroupStore & CommentStore & VersionStore & PriorityStore & CitationStore & NotificationStore;

export type {
  AccessTokenRecord,
  AccountStore,
  CreateUserResult,
  SessionRecord,
  UserChangeResult,
  UserRecord,
} from './account-store';
export type { AssignedThreadRecord, CommentRecord, CommentStore, DeleteCommentResult, ThreadAssignmentRecord, ThreadRecord } from './comment-store';
export { DEFAULT_NOTIFICATION_SETTINGS } from './notification-store';
export type {
  ClaimedDelivery,
  DigestFrequency,
  EmailDeliveryRecord,
  EmailPlan,
  NewNotification,
  NotificationKind,
  NotificationRecord,
  NotificationSettings,
  NotificationStore,
} from './notification-store';
export type { Attribution, CitationRecord, CitationStore, DocStore, DocumentChanges, DocumentRecord, StoredContent } from './doc-store';
export type {
  GroupRecord,
  GroupStore,
  InviteRecord,
  MemberRecord,
  MembershipChangeResult,
  RedeemInviteResult,
} from './group-store';
export { openStore } from './open-store';
export { openPostgresStore } from './postgres/postgres-store';
export type { PostgresStoreOptions } from './postgres/postgres-store';
export { openSqliteStore } from './sqlite/sqlite-store';
export type { SqliteStoreOptions } from './sqlite/sqlite-store';
export type { SqliteSynchronous } from './sqlite/open';
export type { Store } from './store';
export type { NewVersion, VersionRecord, VersionStore } from './version-store';
export { isStoreUnavailable } from './unavailable';
export { StoreOutageLog, type OutageLogOptions } from './outage-log';
export { isRoundOpen } from './priority-store';
export type { IndicationRecord, PriorityRoundRecord, PriorityStore, ReplaceIndicationsResult } from './priority-store';

export { NotificationBell } from './NotificationBell';
export { AssignControl, AssignmentLine } from './AssignControl';
export { formatDueDate, isOverdue } from './due-date';
export { useInbox } from './useInbox';
export type { Inbox } from './useInbox';
export { NotificationSettingsSection } from './NotificationSettingsSection';
export { SinceLastVisit } from './SinceLastVisit';

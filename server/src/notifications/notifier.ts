import type { Logger } from 'pino';
import { can } from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import type { DocumentRecord, NotificationKind, PriorityRoundRecord, Store, ThreadRecord } from '../store/index';
import { emailPlanFor } from './digest-schedule';
import type { UserEvents } from './user-events';
import { excerptOf } from './wording';

/** A notification to be made, before the recipient's access and e-mail settings are applied. */
interface Draft {
  userId: string;
  kind: NotificationKind;
  threadId: string | null;
  commentId: string | null;
  excerpt: string;
  detail: string;
  dedupeKey: string;
  /** Only people who may indicate in the round (observers when it includes them). */
  round?: PriorityRoundRecord;
}

export interface NotifierOptions {
  store: Store;
  log: Logger;
  events: UserEvents;
  /** Whether e-mail is sent (SMTP_URL set): otherwise notifications are in the app only. */
  emailEnabled: boolean;
  /** Told when deliveries joined the queue, so this process's sender looks at once. */
  onQueued?: () => void;
}

/**
 * Turns what happens in a group (comments, assignments, resolutions, versions, rounds) into
 * notifications for the people it concerns: stored (with their e-mail plan) in one transaction,
 * then announced to their open pages. Recipients must be able to read the document now; what an
 * e-mail carries is checked again when it is sent. Never throws: a failure is logged, and the
 * change that caused it stands.
 */
export class Notifier {
  constructor(private readonly options: NotifierOptions) {}

  /** A new thread or reply (`edited`: a comment changed, which notifies only people newly mentioned). */
  async commentPosted(document: DocumentRecord, thread: ThreadRecord, commentId: string, actorId: string, edited = false): Promise<void> {
    await this.guard('comment', async () => {
      const comment = thread.comments.find((c) => c.id === commentId);
      if (!comment || comment.deletedAt) return;
      const excerpt = excerptOf(comment.body);
      const mentioned = new Set(comment.mentions.map((m) => m.id));
      const drafts: Draft[] = [...mentioned].map((userId) => ({
        userId,
        kind: 'mention',
        threadId: thread.id,
        commentId,
        excerpt,
        detail: '',
        dedupeKey: `mention:${commentId}:${userId}`,
      }));
      if (!edited && thread.comments[0]?.id !== commentId) {
        for (const userId of participantsOf(thread, commentId)) {
          if (mentioned.has(userId)) continue;
          drafts.push({ userId, kind: 'reply', threadId: thread.id, commentId, excerpt, detail: '', dedupeKey: `reply:${commentId}:${userId}` });
        }
      }
      await this.deliver(document, actorId, drafts);
    });
  }

  async threadAssigned(document: DocumentRecord, thread: ThreadRecord, actorId: string): Promise<void> {
    await this.guard('assignment', async () => {
      const assignment = thread.assignment;
      if (!assignment) return;
      const first = thread.comments.find((c) => !c.deletedAt);
      await this.deliver(document, actorId, [
        {
          userId: assignment.assignee.id,
          kind: 'assigned',
          threadId: thread.id,
          commentId: null,
          excerpt: excerptOf(first?.body || thread.quote),
          detail: assignment.dueDate ?? '',
          dedupeKey: `assigned:${thread.id}:${assignment.assignee.id}:${assignment.at.getTime()}`,
        },
      ]);
    });
  }

  /** A thread resolved (detail: the disposition) or reopened (detail empty). */
  async threadDecided(document: DocumentRecord, thread: ThreadRecord, actorId: string): Promise<void> {
    await this.guard('decision', async () => {
      const event = thread.events.at(-1);
      if (!event) return;
      const detail = event.kind === 'resolved' ? (event.disposition ?? '') : '';
      const excerpt = excerptOf(event.reason || thread.quote);
      const drafts: Draft[] = [...participantsOf(thread, null)].map((userId) => ({
        userId,
        kind: 'decision',
        threadId: thread.id,
        commentId: null,
        excerpt,
        detail,
        dedupeKey: `decision:${thread.id}:${event.kind}:${event.at.getTime()}:${userId}`,
      }));
      await this.deliver(document, actorId, drafts);
    });
  }

  async versionNamed(document: DocumentRecord, version: { id: string; name: string }, actorId: string): Promise<void> {
    await this.guard('version', async () => {
      const members = await this.options.store.listMembers(document.groupId!);
      await this.deliver(
        document,
        actorId,
        members.map((member) => ({
          userId: member.userId,
          kind: 'version',
          threadId: null,
          commentId: null,
          excerpt: excerptOf(version.name),
          detail: '',
          dedupeKey: `version:${version.id}:${member.userId}`,
        })),
      );
    });
  }

  async roundOpened(document: DocumentRecord, round: PriorityRoundRecord, actorId: string): Promise<void> {
    await this.guard('round', async () => {
      const members = await this.options.store.listMembers(document.groupId!);
      await this.deliver(
        document,
        actorId,
        members.map((member) => ({
          userId: member.userId,
          kind: 'round',
          threadId: null,
          commentId: null,
          excerpt: excerptOf(round.title),
          detail: round.closesAt ? round.closesAt.toISOString() : '',
          dedupeKey: `round:${round.id}:${member.userId}`,
          round,
        })),
      );
    });
  }

  /** A round closes soon: reminds who may indicate and has not (once per person and round, whichever process asks). */
  async roundClosingSoon(document: DocumentRecord, round: PriorityRoundRecord, indicated: ReadonlySet<string>): Promise<void> {
    await this.guard('round reminder', async () => {
      const members = await this.options.store.listMembers(document.groupId!);
      await this.deliver(
        document,
        null,
        members
          .filter((member) => !indicated.has(member.userId))
          .map((member) => ({
            userId: member.userId,
            kind: 'round-closing' as const,
            threadId: null,
            commentId: null,
            excerpt: excerptOf(round.title),
            detail: round.closesAt ? round.closesAt.toISOString() : '',
            dedupeKey: `round-closing:${round.id}:${member.userId}`,
            round,
          })),
      );
    });
  }

  /** Tells the person's open pages how many unread notifications they have now. */
  async announce(userId: string): Promise<void> {
    const unread = await this.options.store.countUnreadNotifications(userId);
    this.options.events.publish(userId, { kind: 'notifications', unread });
  }

  private async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.log.error({ err: error, component: 'notifications' }, `notifications for a ${what} could not be made: ${(error as Error).message}`);
    }
  }

  private async deliver(document: DocumentRecord, actorId: string | null, drafts: readonly Draft[]): Promise<void> {
    const { store, emailEnabled } = this.options;
    if (document.groupId === null) return;
    const now = new Date();
    const seen = new Set<string>();
    const notifications = [];
    for (const draft of drafts) {
      // Never about one's own doing, once per person, and only to people who may read it now.
      if (draft.userId === actorId || seen.has(draft.userId)) continue;
      seen.add(draft.userId);
      const role = await store.getRole(document.groupId, draft.userId);
      if (!can(role, 'read')) continue;
      if (draft.round && role === 'observer' && !draft.round.includeObservers) continue;
      const settings = await store.getNotificationSettings(draft.userId);
      notifications.push({
        id: newId(),
        userId: draft.userId,
        kind: draft.kind,
        documentId: document.id,
        threadId: draft.threadId,
        commentId: draft.commentId,
        actorId,
        excerpt: draft.excerpt,
        detail: draft.detail,
        dedupeKey: draft.dedupeKey,
        email: emailPlanFor(draft.kind, settings, emailEnabled, now),
      });
    }
    if (notifications.length === 0) return;
    const stored = new Set(await store.addNotifications(notifications, now));
    const made = notifications.filter((n) => stored.has(n.id));
    if (made.some((n) => n.email !== null)) this.options.onQueued?.();
    for (const userId of new Set(made.map((n) => n.userId))) await this.announce(userId);
  }
}

/**
 * The people in a thread: who started it, who wrote in it (but `exceptComment`), who was
 * mentioned in it and whom it is assigned to.
 */
function participantsOf(thread: ThreadRecord, exceptComment: string | null): Set<string> {
  const people = new Set<string>([thread.author.id]);
  for (const comment of thread.comments) {
    if (comment.id === exceptComment) continue;
    if (!comment.deletedAt) people.add(comment.author.id);
    for (const mention of comment.mentions) people.add(mention.id);
  }
  if (thread.assignment) people.add(thread.assignment.assignee.id);
  return people;
}

import { DISPOSITION_LABELS, ROLE_LABELS, ROLES, type ReportEntry, type Role } from '../../../shared/api/index';
import { resolutionReport } from '../comments/index';
import type { DocumentRecord, Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "28 February 2022", as UN papers write dates (UTC). */
export function paperDate(date: Date): { text: string; parts: [number, number, number] } {
  return {
    text: `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
    parts: [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()],
  };
}

/** One row of the comment-resolution annex, worded for the paper (template/paper.typ shows it as it is). */
export interface CommentAnnexRow {
  position: number;
  quote: string;
  /** What the commented text reads now, when it changed; "(text removed)" when it is gone; null when unchanged. */
  textNow: string | null;
  discussion: { author: string; date: string; body: string }[];
  /** "Incorporated: reason (Name, 3 March 2026)", or "Open". */
  resolution: string;
  resolved: boolean;
}

/** One row of the participants annex. */
export interface ParticipantRow {
  name: string;
  /** "Co-chair", "Member", …, or "Former member" for someone who contributed and has left. */
  role: string;
  /** "Drafting; 3 comments; 2 threads resolved", or "—" for someone who has not contributed. */
  contribution: string;
}

export interface PaperAnnexes {
  comments: { title: string; rows: CommentAnnexRow[] } | null;
  participants: { title: string; rows: ParticipantRow[] } | null;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V'];

function commentRow(entry: ReportEntry): CommentAnnexRow {
  const textNow = entry.currentText === null ? '(text removed)' : entry.currentText === entry.quote ? null : entry.currentText;
  const resolution =
    entry.status === 'resolved' && entry.disposition
      ? `${DISPOSITION_LABELS[entry.disposition]}${entry.reason ? `: ${entry.reason}` : ''} (${entry.resolvedBy ?? 'unknown'}, ${paperDate(new Date(entry.resolvedAt!)).text})`
      : 'Open';
  return {
    position: entry.position,
    quote: entry.quote,
    textNow,
    discussion: entry.discussion.map((comment) => ({
      author: comment.author,
      date: paperDate(new Date(comment.at)).text,
      body: comment.deleted ? '(comment deleted)' : comment.body,
    })),
    resolution,
    resolved: entry.status === 'resolved',
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Everyone in the working group, and anyone who has left but wrote text or comments in the
 * document, with what they contributed: co-chairs first (in role order), then by name.
 */
async function participantRows(store: Store, document: DocumentRecord): Promise<ParticipantRow[]> {
  const members = document.groupId === null ? [] : await store.listMembers(document.groupId);
  const { clients } = await store.loadAttribution(document.id, { afterDeletion: 0, uptoDeletion: 0 });
  const threads = await store.listThreads(document.id);
  const drafted = new Set(clients.map((client) => client.userId));
  const comments = new Map<string, number>();
  const resolved = new Map<string, number>();
  const names = new Map<string, string>();
  for (const { resolution } of threads) {
    if (!resolution) continue;
    resolved.set(resolution.by.id, (resolved.get(resolution.by.id) ?? 0) + 1);
    names.set(resolution.by.id, resolution.by.name);
  }
  for (const comment of threads.flatMap((thread) => thread.comments)) {
    if (comment.deletedAt) continue;
    comments.set(comment.author.id, (comments.get(comment.author.id) ?? 0) + 1);
    names.set(comment.author.id, comment.author.name);
  }
  const people = new Map<string, { name: string; role: Role | null }>(members.map((m) => [m.userId, { name: m.name, role: m.role }]));
  for (const userId of new Set([...drafted, ...comments.keys(), ...resolved.keys()])) {
    if (people.has(userId)) continue;
    const name = names.get(userId) ?? (await store.getUser(userId))?.name;
    if (name !== undefined) people.set(userId, { name, role: null });
  }
  const rank = (role: Role | null) => (role === null ? ROLES.length : ROLES.indexOf(role));
  return [...people.entries()]
    .sort(([, a], [, b]) => rank(a.role) - rank(b.role) || a.name.localeCompare(b.name))
    .map(([userId, person]) => {
      const parts = [
        ...(drafted.has(userId) ? ['Drafting'] : []),
        ...(comments.has(userId) ? [plural(comments.get(userId)!, 'comment')] : []),
        ...(resolved.has(userId) ? [`${plural(resolved.get(userId)!, 'thread')} resolved`] : []),
      ];
      return { name: person.name, role: person.role ? ROLE_LABELS[person.role] : 'Former member', contribution: parts.join('; ') || '—' };
    });
}

/** The annexes asked for, numbered I, II in the order they follow the text. */
export async function paperAnnexes(
  deps: { store: Store; registry: RoomRegistry },
  document: DocumentRecord,
  wanted: { comments: boolean; participants: boolean },
): Promise<PaperAnnexes> {
  let next = 0;
  const title = (name: string) => `Annex ${ROMAN[next++]}: ${name}`;
  const comments = wanted.comments
    ? { title: title('Resolution of comments'), rows: (await resolutionReport(deps.store, deps.registry, document)).threads.map(commentRow) }
    : null;
  const participants = wanted.participants ? { title: title('Participants and contributors'), rows: await participantRows(deps.store, document) } : null;
  return { comments, participants };
}

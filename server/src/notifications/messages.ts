import type { NotificationRecord } from '../store/index';
import type { OutgoingMessage } from './mail-transport';
import { pathOf, summaryOf } from './wording';

export interface MessageContext {
  /** Where people open the app, e.g. https://concord.example.org */
  origin: string;
  /** The signed link that stops the person's e-mail. */
  unsubscribeUrl: string;
  /** Unique id of this delivery: the Message-ID, the same for every try. */
  deliveryId: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Subjects and headers are one line. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();
const quoteLines = (text: string) => text.split('\n').map((line) => `> ${line}`).join('\n');

function footer(context: MessageContext): { text: string; html: string } {
  const settings = `${context.origin}/account#notifications`;
  return {
    text: `--\nYou get this because of your notification settings on Concord: ${settings}\nStop all e-mail from Concord: ${context.unsubscribeUrl}\n`,
    html: `<p style="color:#57606a;font-size:12px">You get this because of your <a href="${escapeHtml(settings)}">notification settings</a> on Concord. <a href="${escapeHtml(context.unsubscribeUrl)}">Stop all e-mail from Concord</a>.</p>`,
  };
}

function headersOf(context: MessageContext): Record<string, string> {
  return {
    'List-Unsubscribe': `<${context.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
  };
}

function messageId(context: MessageContext): string {
  return `<${context.deliveryId}@${new URL(context.origin).hostname || 'concord'}>`;
}

/** One notification at once (a mention, an assignment): plain text first, a short HTML part. */
export function immediateMessage(to: string, notification: NotificationRecord, context: MessageContext): OutgoingMessage {
  const summary = summaryOf(notification);
  const where = `“${notification.document.title}” (${notification.document.groupName})`;
  const link = `${context.origin}${pathOf(notification)}`;
  const foot = footer(context);
  const text = [`${summary} in ${where}:`, '', quoteLines(notification.excerpt), '', `Open it: ${link}`, '', foot.text].join('\n');
  const html = `<p>${escapeHtml(summary)} in <strong>${escapeHtml(notification.document.title)}</strong> (${escapeHtml(notification.document.groupName)}):</p>
<blockquote style="border-left:3px solid #d0d7de;margin:0;padding-left:12px;color:#1f2328">${escapeHtml(notification.excerpt)}</blockquote>
<p><a href="${escapeHtml(link)}">Open it in Concord</a></p>
${foot.html}`;
  return {
    to,
    subject: oneLine(`[${notification.document.groupName}] ${summary} in “${notification.document.title}”`),
    text,
    html,
    messageId: messageId(context),
    headers: headersOf(context),
  };
}

/** Notifications grouped by working group, then document, in the order they came. */
export function groupForDigest(notifications: readonly NotificationRecord[]): { group: string; documents: { title: string; items: NotificationRecord[] }[] }[] {
  const groups = new Map<string, { group: string; documents: Map<string, { title: string; items: NotificationRecord[] }> }>();
  for (const n of notifications) {
    let group = groups.get(n.document.groupId);
    if (!group) groups.set(n.document.groupId, (group = { group: n.document.groupName, documents: new Map() }));
    let document = group.documents.get(n.document.id);
    if (!document) group.documents.set(n.document.id, (document = { title: n.document.title, items: [] }));
    document.items.push(n);
  }
  return [...groups.values()].map((g) => ({ group: g.group, documents: [...g.documents.values()] }));
}

/** A digest of everything else: grouped by working group and document, each item with its quote and link. */
export function digestMessage(to: string, notifications: readonly NotificationRecord[], context: MessageContext): OutgoingMessage {
  const grouped = groupForDigest(notifications);
  const count = notifications.length;
  const groupNames = grouped.map((g) => g.group);
  const textParts: string[] = [`${count} ${count === 1 ? 'update' : 'updates'} on Concord since your last digest.`, ''];
  const htmlParts: string[] = [`<p>${count} ${count === 1 ? 'update' : 'updates'} on Concord since your last digest.</p>`];
  for (const group of grouped) {
    textParts.push(group.group, '='.repeat(Math.min(group.group.length, 72)));
    htmlParts.push(`<h2 style="font-size:16px">${escapeHtml(group.group)}</h2>`);
    for (const document of group.documents) {
      textParts.push('', `“${document.title}”`);
      htmlParts.push(`<h3 style="font-size:14px">${escapeHtml(document.title)}</h3><ul>`);
      for (const item of document.items) {
        const link = `${context.origin}${pathOf(item)}`;
        const quote = item.kind === 'version' || item.kind === 'round' || item.kind === 'round-closing' ? '' : item.excerpt;
        textParts.push(`- ${summaryOf(item)}`, ...(quote ? [`  “${quote}”`] : []), `  ${link}`);
        htmlParts.push(`<li>${escapeHtml(summaryOf(item))}${quote ? `<br><q>${escapeHtml(quote)}</q>` : ''} <a href="${escapeHtml(link)}">Open</a></li>`);
      }
      htmlParts.push('</ul>');
    }
    textParts.push('');
  }
  const foot = footer(context);
  textParts.push('', foot.text);
  htmlParts.push(foot.html);
  return {
    to,
    subject: oneLine(`Concord digest: ${count} ${count === 1 ? 'update' : 'updates'} in ${groupNames.join(', ')}`),
    text: textParts.join('\n'),
    html: htmlParts.join('\n'),
    messageId: messageId(context),
    headers: headersOf(context),
  };
}

/** An invite link sent from the app: who invites, to which group and role, the link and until when. */
export function inviteMessage(
  to: string,
  invite: { groupName: string; inviterName: string; roleLabel: string; link: string; expiresAt: Date; messageId: string; origin: string },
): OutgoingMessage {
  const until = invite.expiresAt.toISOString().slice(0, 10);
  const text = [
    `${invite.inviterName} invites you to join ${invite.groupName} on Concord as ${invite.roleLabel}.`,
    '',
    `Accept the invitation: ${invite.link}`,
    '',
    `The link works once, until ${until}. If you did not expect this, ignore this message.`,
    '',
  ].join('\n');
  const html = `<p>${escapeHtml(invite.inviterName)} invites you to join <strong>${escapeHtml(invite.groupName)}</strong> on Concord as ${escapeHtml(invite.roleLabel)}.</p>
<p><a href="${escapeHtml(invite.link)}">Accept the invitation</a></p>
<p style="color:#57606a;font-size:12px">The link works once, until ${until}. If you did not expect this, ignore this message.</p>`;
  return {
    to,
    subject: oneLine(`${invite.inviterName} invites you to ${invite.groupName} on Concord`),
    text,
    html,
    messageId: `<${invite.messageId}@${new URL(invite.origin).hostname || 'concord'}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

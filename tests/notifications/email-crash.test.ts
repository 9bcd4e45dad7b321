/**
 * At-least-once without duplicates across a crash: the server process is killed (SIGKILL) while
 * the SMTP server holds a message it has received but not yet accepted; the next process takes the
 * delivery over once the dead one's lease runs out and sends it once, and nothing is sent twice.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addMember, apiOk, type TestAccount } from '../helpers/accounts';
import { spawnServerProcess, tempDataDir, createDocument, type ServerProcess } from '../helpers/server';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp';

const dataDir = tempDataDir();
let smtp: TestSmtp | undefined;
const processes: ServerProcess[] = [];

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An anchor at the start of an empty document's text (any position in the content fragment is accepted). */
function anchorAtStart(): { start: string; end: string } {
  const doc = new Y.Doc();
  const position = Y.createRelativePositionFromTypeIndex(doc.getXmlFragment('default'), 0);
  const encoded = Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
  return { start: encoded, end: encoded };
}

it('sends a message once when the process is killed mid-send and another takes over', async () => {
  smtp = await startSmtpServer();
  // A send may take 1 s, so a dead sender's lease runs out after 2 s.
  const env = { SMTP_URL: smtp.url, EMAIL_SEND_TIMEOUT_MS: '1000', EMAIL_RETRY_BASE_MS: '50' };
  const first = await spawnServerProcess({ dataDir, env });
  processes.push(first);
  const docId = await createDocument(first, 'Crash Test Draft');
  const member: TestAccount = await addMember(first.url, first.owner.auth, first.owner.groupId, 'member', 'Mira');
  const path = `/api/documents/${docId}/threads`;

  expect(first.logs.filter((line) => line.includes('notifications are e-mailed through')).length).toBe(1);
  const held = smtp.holdNext();
  await apiOk(first.url, first.owner.auth, 'POST', path, { anchor: anchorAtStart(), quote: '', body: 'First, @Mira', mentions: [member.user.id] }, 201);
  // The SMTP server has the whole message and has not answered: kill the sender now.
  await held;
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  expect(smtp.messages).toHaveLength(0);

  const second = await spawnServerProcess({ dataDir, env, port: first.port });
  processes.push(second);
  const [resent] = await smtp.waitForMessages(1);
  expect(resent.to).toEqual([member.user.email]);
  expect(resent.text).toContain('> First, @Mira');
  // A later message goes out after it: the queue moved on past the taken-over delivery.
  await apiOk(second.url, second.owner.auth, 'POST', path, { anchor: anchorAtStart(), quote: '', body: 'Second, @Mira', mentions: [member.user.id] }, 201);
  const messages = await smtp.waitForMessages(2);
  expect(messages[1].text).toContain('> Second, @Mira');

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  const db = new Database(join(dataDir, 'concord.sqlite'), { readonly: true });
  const deliveries = db.prepare('SELECT id, state, attempts FROM email_deliveries WHERE user_id = ? ORDER BY rowid').all(member.user.id) as {
    id: string;
    state: string;
    attempts: number;
  }[];
  db.close();
  // Both recorded as sent (never to be sent again), the first after a second attempt; one copy each arrived.
  expect(deliveries.map((d) => [d.state, d.attempts])).toEqual([
    ['sent', 2],
    ['sent', 1],
  ]);
  expect(smtp.messages.map((m) => m.messageId)).toEqual(deliveries.map((d) => `<${d.id}@localhost>`));
});

it('says once at start that e-mail is off without SMTP_URL', async () => {
  const plainDir = tempDataDir();
  const plain = await spawnServerProcess({ dataDir: plainDir });
  processes.push(plain);
  plain.child.kill('SIGTERM');
  expect(await plain.exited).toBe(0);
  const lines = plain.logs.filter((line) => line.includes('e-mail is off'));
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]).msg).toBe('e-mail is off (SMTP_URL is not set): notifications are in the app only');
  rmSync(plainDir, { recursive: true, force: true });
});

/**
 * A real SMTP server in the test process (smtp-server), for the e-mail the server sends: every
 * message it accepted, parsed (mailparser); it can refuse the next messages with a code, or hold
 * one after its whole content arrived without answering (to kill the sender mid-send).
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail['headers'];
  /** The header lines as sent (unfolded), e.g. `List-Unsubscribe: <…>`. */
  rawHeaders: string;
}

export interface TestSmtp {
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  url: string;
  /** Every message accepted (answered 250), in order. */
  messages: ReceivedMail[];
  /** Resolves once `count` messages have been accepted (in all). */
  waitForMessages(count: number): Promise<ReceivedMail[]>;
  /** The next `count` messages are refused after their content, with `code` (e.g. 451: try later; 550: never). */
  refuse(count: number, code: number, text?: string): void;
  /** The next message is answered slowly: MAIL FROM, RCPT TO and its content each after `stepMs`. */
  slowNext(stepMs: number): void;
  /** The next message is never answered; resolves once its whole content arrived. */
  holdNext(): Promise<void>;
  /** Messages refused so far. */
  refused: number;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const waiters: { count: number; resolve: (m: ReceivedMail[]) => void }[] = [];
  let refusals: { code: number; text: string }[] = [];
  let hold: (() => void) | null = null;
  let slowStepMs = 0;
  let pendingSlow = 0;
  const slowSessions = new Set<string>();
  const later = (session: { id: string }, answer: () => void) => (slowSessions.has(session.id) ? setTimeout(answer, slowStepMs) : answer());
  const state = { refused: 0 };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, session, callback) {
      if (slowStepMs > 0 && !slowSessions.has(session.id) && pendingSlow > 0) {
        pendingSlow--;
        slowSessions.add(session.id);
      }
      later(session, () => callback());
    },
    onRcptTo(_address, session, callback) {
      later(session, () => callback());
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (hold) {
          const held = hold;
          hold = null;
          held(); // never answered: the sender waits until it is killed
          return;
        }
        const refusal = refusals.shift();
        if (refusal) {
          state.refused++;
          callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        later(session, () => accept(raw));
      });
      const accept = (raw: Buffer) =>
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              to: [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? '')),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              headers: parsed.headers,
              rawHeaders: raw.toString('utf8').split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' '),
            });
            callback();
            for (const waiter of waiters.filter((w) => messages.length >= w.count)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(messages.slice());
            }
          },
          (error: Error) => callback(error),
        );
    },
  });
  // A sender killed mid-send resets its connection: not a test failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get refused() {
      return state.refused;
    },
    waitForMessages(count) {
      if (messages.length >= count) return Promise.resolve(messages.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    refuse(count, code, text = code >= 500 ? 'mailbox unavailable' : 'try again later') {
      refusals = [...refusals, ...Array.from({ length: count }, () => ({ code, text }))];
    },
    slowNext(stepMs) {
      slowStepMs = stepMs;
      pendingSlow++;
    },
    holdNext() {
      return new Promise<void>((resolve) => {
        hold = resolve;
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

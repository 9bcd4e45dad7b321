import nodemailer from 'nodemailer';

/** One message, ready to hand to an SMTP server. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same for every try of one delivery, so a receiver can tell a re-sent copy. */
  messageId: string;
  headers: Record<string, string>;
}

/** Hands messages to a mail server; rejects when the server refused or did not answer in time. */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer (`SMTP_URL`: smtp:// or smtps://, with user and password in the URL).
 * One connection per message; every step of it (connect, greeting, each reply) is bounded by
 * `timeoutMs`, so no send outlasts the sender's lease.
 */
export function smtpTransport(smtpUrl: string, from: string, timeoutMs: number): MailTransport {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: message.headers,
      });
    },
    close() {
      transport.close();
    },
  };
}

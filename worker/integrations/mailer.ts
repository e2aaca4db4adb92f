/**
 * Mailer port + worker-mailer adapter. One SMTP connection per queue batch (sockets cannot outlive an
 * invocation); messages are sent one after another over it. Never uses worker-mailer's `bcc` option: it writes
 * a Bcc header into the message; copies are separate messages instead.
 */
import { WorkerMailer, LogLevel } from "worker-mailer";

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (port 465). */
  secure: boolean;
  /** Upgrade with STARTTLS when the server offers it (port 587). */
  startTls: boolean;
  username?: string;
  password?: string;
  fromAddress: string;
  fromName: string;
}

export interface OutgoingEmail {
  toAddress: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
  /** Our own Message-ID (`<outboxId@host>`), so duplicates are recognisable downstream. */
  messageId: string;
}

export interface MailerSession {
  send(email: OutgoingEmail): Promise<void>;
  close(): Promise<void>;
}

/** Bounded so a dead server cannot hold a queue invocation; worker-mailer ignores responseTimeoutMs. */
const SOCKET_TIMEOUT_MS = 15_000;

export async function openSmtpSession(settings: SmtpSettings): Promise<MailerSession> {
  const mailer = await WorkerMailer.connect({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    startTls: settings.startTls,
    ...(settings.username ? { credentials: { username: settings.username, password: settings.password ?? "" }, authType: ["plain", "login"] } : {}),
    socketTimeoutMs: SOCKET_TIMEOUT_MS,
    logLevel: LogLevel.NONE,
  });
  return {
    async send(email) {
      await mailer.send({
        from: { name: settings.fromName, email: settings.fromAddress },
        to: email.toName ? { name: email.toName, email: email.toAddress } : email.toAddress,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: { "Message-ID": email.messageId },
      });
    },
    async close() {
      await mailer.close().catch(() => {});
    },
  };
}

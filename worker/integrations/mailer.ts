/**
 * Mailer port + worker-mailer adapter. One SMTP connection per queue batch (sockets cannot outlive an
 * invocation); messages are sent one after another over it. Never uses worker-mailer's `bcc` option: it writes
 * a Bcc header into the message; copies are separate messages instead.
 */
import { WorkerMailer, LogLevel } from "worker-mailer";
import { headerSafe } from "../contract/email-render";

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
  attachments?: Array<{ filename: string; content: string; mimeType: string }>;
}

export interface MailerSession {
  /** Resolves with the server's final reply to the message (e.g. `250 2.0.0 OK: queued as …`). */
  send(email: OutgoingEmail): Promise<string>;
  close(): Promise<void>;
}

/** Bounded so a dead server cannot hold a queue invocation; worker-mailer ignores responseTimeoutMs. */
const SOCKET_TIMEOUT_MS = 15_000;

/**
 * NOTE: worker-mailer 1.2.1's `read()` ignores end-of-stream: when the server closes the connection (a 421,
 * or a drop right after DATA) it loops on `reader.read()` forever, a microtask spin that also starves the
 * timers its own timeouts rely on, so the queue invocation hangs until the platform kills it. We replace that
 * one method with the same reply parsing plus an error at end of stream. Covered by
 * test/worker/queues/email-delivery.test.ts (421 and dropped-connection cases); remove when upstream fixes it.
 */
interface MailerInternals {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  /** Ours: the last complete reply, so a send can report the server's answer (SMTP "Send Test Email"). */
  lastReply?: string;
}
(WorkerMailer.prototype as unknown as { read(this: MailerInternals): Promise<string> }).read = async function read(this: MailerInternals) {
  const decoder = new TextDecoder("utf-8");
  let response = "";
  for (;;) {
    const { value, done } = await this.reader.read();
    if (done) throw new Error("SMTP server closed the connection");
    if (!value) continue;
    response += decoder.decode(value, { stream: true });
    if (!response.endsWith("\n")) continue;
    const lines = response.split(/\r?\n/);
    // A multi-line reply continues while lines look like "250-…"; the last line is "250 …".
    if (!/^\d+-/.test(lines[lines.length - 2] ?? "")) {
      this.lastReply = (lines[lines.length - 2] ?? "").trim();
      return response;
    }
  }
};

/**
 * NOTE: worker-mailer 1.2.1 races every reply against a setTimeout it never clears, so each SMTP reply leaves a
 * live timer behind; workerd allows 10,000 per invocation, which a long batch over one connection exhausts
 * (QuotaExceededError). Same timeout, cleared once the reply is in.
 */
interface MailerTimeoutInternals {
  responseTimeoutMs: number;
  read(): Promise<string>;
}
(WorkerMailer.prototype as unknown as { readTimeout(this: MailerTimeoutInternals): Promise<string> }).readTimeout = function readTimeout(this: MailerTimeoutInternals) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("Timeout while waiting for smtp server response")), this.responseTimeoutMs);
  });
  return Promise.race([this.read(), timeout]).finally(() => clearTimeout(timer));
};

/**
 * NOTE: worker-mailer 1.2.1 upgrades with STARTTLS only "if the server offers it": a server (or a man in the
 * middle) that does not advertise STARTTLS gets AUTH and the mail in clear text. When we ask for STARTTLS
 * ("Use Secured Connection"), it is required: we refuse before AUTH. Covered by email-settings.error.test.ts.
 */
interface MailerAuthInternals {
  startTls: boolean;
  secure: boolean;
  supportsStartTls: boolean;
}
const mailerProto = WorkerMailer.prototype as unknown as { auth(this: MailerAuthInternals): Promise<void> };
const originalAuth = mailerProto.auth;
mailerProto.auth = async function auth(this: MailerAuthInternals) {
  if (this.startTls && !this.secure && !this.supportsStartTls) {
    throw new Error("TLS required: the server did not offer STARTTLS, so nothing was sent (no credentials, no mail)");
  }
  return originalAuth.call(this);
};

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
        from: { name: headerSafe(settings.fromName).replace(/["\\]/g, ""), email: settings.fromAddress },
        to: email.toName ? { name: headerSafe(email.toName).replace(/["\\]/g, ""), email: email.toAddress } : email.toAddress,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: { "Message-ID": email.messageId },
        ...(email.attachments?.length ? { attachments: email.attachments } : {}),
      });
      return (mailer as unknown as MailerInternals).lastReply ?? "250";
    },
    async close() {
      await mailer.close().catch(() => {});
    },
  };
}

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
 * It also returns ONE reply per call and keeps what follows it: with PIPELINING (below) several replies arrive
 * in one read.
 */
interface MailerInternals {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  /** Ours: the last complete reply, so a send can report the server's answer (SMTP "Send Test Email"). */
  lastReply?: string;
  /** Ours: text read past the last reply returned, and the decoder that carries a split UTF-8 sequence over. */
  unread?: string;
  decoder?: TextDecoder;
}

/** The first complete reply in `buffer` (its last line is `NNN text`, not `NNN-text`), and what follows it. */
export function splitReply(buffer: string): { reply: string; last: string; rest: string } | null {
  let start = 0;
  for (let end = buffer.indexOf("\n"); end !== -1; start = end + 1, end = buffer.indexOf("\n", start)) {
    const line = buffer.slice(start, end).replace(/\r$/, "");
    if (!/^\d+-/.test(line)) return { reply: buffer.slice(0, end + 1), last: line.trim(), rest: buffer.slice(end + 1) };
  }
  return null;
}

/** A reply already read (pipelined replies arrive together): taken from the buffer, no socket read, no timer. */
function bufferedReply(m: MailerInternals): string | null {
  const split = m.unread ? splitReply(m.unread) : null;
  if (!split) return null;
  m.unread = split.rest;
  m.lastReply = split.last;
  return split.reply;
}

(WorkerMailer.prototype as unknown as { read(this: MailerInternals): Promise<string> }).read = async function read(this: MailerInternals) {
  const decoder = (this.decoder ??= new TextDecoder("utf-8"));
  for (;;) {
    const reply = bufferedReply(this);
    if (reply !== null) return reply;
    const { value, done } = await this.reader.read();
    if (done) throw new Error("SMTP server closed the connection");
    if (value) this.unread = (this.unread ?? "") + decoder.decode(value, { stream: true });
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
(WorkerMailer.prototype as unknown as { readTimeout(this: MailerTimeoutInternals & MailerInternals): Promise<string> }).readTimeout = function readTimeout(this: MailerTimeoutInternals & MailerInternals) {
  const buffered = bufferedReply(this);
  if (buffered !== null) return Promise.resolve(buffered);
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

/**
 * SMTP PIPELINING (RFC 2920). worker-mailer 1.2.1 sends MAIL, each RCPT and DATA one at a time, waiting for
 * each reply: four round trips per message. When the server advertises PIPELINING, MAIL FROM, RCPT TO and DATA
 * go in ONE write and their replies are read after it (DATA is the last command of the group, as the RFC
 * requires; the body still waits for 354): two round trips per message. The commands are those worker-mailer
 * builds (DSN parameters included); every reply is read before an error is raised, so the connection stays in
 * step for the RSET worker-mailer sends after a failed message. Covered by test/worker/integrations/mailer.test.ts.
 */
interface PipeliningInternals {
  supportsDSN: boolean;
  supportsPipelining?: boolean;
  emailSending: { from: { email: string }; to: Array<{ email: string }>; cc?: Array<{ email: string }>; bcc?: Array<{ email: string }>; dsnOverride?: { envelopeId?: string } };
  retBuilder(): string;
  notificationBuilder(): string;
  write(data: string): Promise<void>;
  readTimeout(): Promise<string>;
}
type PipeliningProto = {
  parseCapabilities(this: PipeliningInternals, reply: string): void;
  mail(this: PipeliningInternals): Promise<void>;
  rcpt(this: PipeliningInternals): Promise<void>;
  data(this: PipeliningInternals): Promise<void>;
};
const pipeliningProto = WorkerMailer.prototype as unknown as PipeliningProto;
const lockStep = { parseCapabilities: pipeliningProto.parseCapabilities, mail: pipeliningProto.mail, rcpt: pipeliningProto.rcpt, data: pipeliningProto.data };

pipeliningProto.parseCapabilities = function parseCapabilities(reply) {
  lockStep.parseCapabilities.call(this, reply);
  this.supportsPipelining = /^\d{3}[ -]PIPELINING\s*$/im.test(reply);
};

/** The envelope commands for the message being sent, exactly as worker-mailer words them. */
function envelopeCommands(m: PipeliningInternals): string[] {
  const e = m.emailSending;
  let mail = `MAIL FROM: <${e.from.email}>`;
  if (m.supportsDSN) {
    mail += ` ${m.retBuilder()}`;
    if (e.dsnOverride?.envelopeId) mail += ` ENVID=${e.dsnOverride.envelopeId}`;
  }
  const rcpts = [...e.to, ...(e.cc ?? []), ...(e.bcc ?? [])].map((r) => `RCPT TO: <${r.email}>${m.supportsDSN ? m.notificationBuilder() : ""}`);
  return [mail, ...rcpts, "DATA"];
}

pipeliningProto.mail = async function mail() {
  if (!this.supportsPipelining) return lockStep.mail.call(this);
  const commands = envelopeCommands(this);
  await this.write(commands.map((c) => `${c}\r\n`).join(""));
  const replies: string[] = [];
  const refusal = () => {
    const i = replies.findIndex((r, n) => !r.startsWith(commands[n] === "DATA" ? "3" : "2"));
    return i === -1 ? null : new Error(`Invalid ${commands[i]} ${replies[i]}`);
  };
  try {
    while (replies.length < commands.length) replies.push(await this.readTimeout());
  } catch (err) {
    // A server that refuses with 421 closes the connection: its refusal is the reason, not the closing.
    throw refusal() ?? err;
  }
  const refused = refusal();
  if (!refused) return;
  // A server that refused the recipient yet accepted DATA waits for a body: end it empty. Our messages have one
  // recipient each (openSmtpSession), so nobody receives it; worker-mailer's RSET follows.
  if (replies[replies.length - 1]!.startsWith("3")) {
    await this.write(".\r\n");
    await this.readTimeout();
  }
  throw refused;
};
pipeliningProto.rcpt = async function rcpt() {
  if (!this.supportsPipelining) return lockStep.rcpt.call(this);
};
pipeliningProto.data = async function data() {
  if (!this.supportsPipelining) return lockStep.data.call(this);
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
      // worker-mailer skips socket.close() when QUIT fails (the server already hung up): the socket would count
      // against the invocation's 6 until collected, so it is closed here, before a lane opens the next.
      await (mailer as unknown as { socket: Socket }).socket.close().catch(() => {});
    },
  };
}

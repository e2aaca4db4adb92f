import type { SMTPServerAddress, SMTPServerSession } from "smtp-server";

export type SmtpMode = "plain" | "auth" | "starttls" | "tls";

export interface StartSmtpOptions {
  mode?: SmtpMode;
  host?: string;
  port?: number;
  size?: number;
  user?: string;
  pass?: string;
  tls?: { key: Buffer; cert: Buffer };
  onAuthFailure?: () => void;
  onMailFrom?: (address: SMTPServerAddress, session: SMTPServerSession) => Error | null;
  onRcptTo?: (address: SMTPServerAddress, session: SMTPServerSession) => Error | null;
  /** The reply text, or "drop" to cut the connection without a reply. */
  onMessage: (raw: Buffer, session: SMTPServerSession) => string;
}

export interface SmtpConnections {
  /** Connections accepted since the server started. */
  total: number;
  open: number;
  /** Most connections open at once since the start or the last reset. */
  peakOpen: number;
}

export declare function startSmtp(options: StartSmtpOptions): Promise<{ port: number; connections(options?: { reset?: boolean }): SmtpConnections; close(): Promise<void> }>;

export interface ParsedMail {
  messageId: string | null;
  subject: string | null;
  from: string | null;
  to: string | null;
  date: Date | null;
  html: string | null;
  text: string | null;
  /** Lower-cased names; repeated headers keep every value. */
  headers: Record<string, string[]>;
  headerLines: string[];
}

export declare function parseMail(raw: Buffer): Promise<ParsedMail>;

export interface StoredMail<M> {
  id: string;
  seq: number;
  receivedAt: string | null;
  meta: M;
}

export interface MailStore<M> {
  dir: string | undefined;
  add(bytes: Buffer, meta?: M): StoredMail<M>;
  list(): Array<StoredMail<M>>;
  get(id: string): StoredMail<M> | undefined;
  raw(entry: StoredMail<M>): Buffer;
  parsed(entry: StoredMail<M>): Promise<ParsedMail>;
  clear(): void;
}

export declare function createMailStore<M = Record<string, never>>(options?: { dir?: string }): MailStore<M>;

/**
 * A local SMTP sink for tests (smtp-server + mailparser), with fault knobs and an HTTP control API.
 *
 * Tests run inside workerd and cannot call into Node, so everything a test needs goes over
 * HTTP on 127.0.0.1 (see `startSmtpSink` for the routes). One sink serves one mode:
 *
 * The SMTP side and the message store are scripts/mail-server.mjs (shared with `npm start`'s mail catcher),
 * which also lists what each mode asks of the client.
 *
 * The TLS modes present test/fakes/tls/server.pem; clients must trust test/fakes/tls/ca.pem
 * (NODE_EXTRA_CA_CERTS, exported before vitest or wrangler starts: Miniflare reads it once at import).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SMTPServerSession } from "smtp-server";
import { createMailStore, startSmtp, type SmtpMode } from "../../scripts/mail-server.mjs";
import { workerdCpuMs } from "../../scripts/proc-cpu.mjs";

export type SmtpSinkMode = SmtpMode;

export interface SmtpSinkOptions {
  mode: SmtpSinkMode;
  /** Credentials the AUTH modes accept. Defaults: `sink-user` / `sink-pass`. */
  user?: string;
  pass?: string;
}

/** One captured message, as returned by `GET /messages`. */
export interface CapturedMessage {
  /** Sink-local sequence number, 1-based, in order of arrival. */
  seq: number;
  receivedAt: string;
  mode: SmtpSinkMode;
  /** Whether the SMTP session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** AUTH user name, or null for unauthenticated sessions. */
  authUser: string | null;
  /** SMTP envelope: what MAIL FROM / RCPT TO said, independent of the headers. */
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  subject: string | null;
  from: string | null;
  to: string | null;
  html: string | null;
  text: string | null;
  /** All header lines, lower-cased names; repeated headers keep every value. */
  headers: Record<string, string[]>;
  /** True when the message itself carries a Bcc header (which would leak recipients to every other recipient). */
  hasBccHeader: boolean;
  /**
   * True when the sink dropped the connection after the final `.` instead of replying 250
   * (the `dropAfterData` fault). The message *was* received, as a real server may have
   * queued it, so a client that retries produces a duplicate with the same Message-ID.
   */
  droppedConnection: boolean;
  raw: string;
}

/**
 * Fault knobs, set with `POST /faults`. A POST replaces the whole set, so `POST /faults {}`
 * clears every fault.
 */
export interface SmtpFaults {
  /** Reject the next N mail transactions (at MAIL FROM). */
  rejectNext?: number;
  /** Reject every transaction until this epoch-millisecond time. */
  rejectUntil?: number;
  /** Same as rejectUntil, relative to the sink's clock (avoids clock skew with workerd). */
  rejectForMs?: number;
  /** Reply code for rejections: 421 closes the connection, 451 keeps it. Default 451. */
  rejectCode?: 421 | 451;
  /** Drop the TCP connection right after the DATA `.` for the next N messages. */
  dropAfterData?: number;
  /**
   * Apply the faults only to mail for recipients containing this substring, so test files running
   * in parallel do not disturb each other. Rejections then happen at RCPT TO instead of MAIL FROM.
   */
  match?: string;
  /**
   * Mail for recipients containing this substring is counted (see `GET /summary`) but its content is not kept:
   * throughput runs of tens of thousands of messages would otherwise hold all of them in memory.
   */
  countOnly?: string;
}

/** `GET /summary?match=…`: what arrived for recipients containing `match`, from headers read on arrival. */
export interface SinkSummary {
  messages: number;
  distinctMessageIds: number;
  /** Messages whose Message-ID arrived more than once (each repeat counted). */
  duplicates: number;
  bccHeaders: number;
}

interface FaultState {
  rejectNext: number;
  rejectUntil: number;
  rejectCode: 421 | 451;
  dropAfterData: number;
  match: string;
  countOnly: string;
}

/** What the sink notes about every message on arrival, cheaply (no MIME parsing). */
interface Arrival {
  to: string[];
  messageId: string | null;
  bcc: boolean;
}

export interface SmtpSink {
  smtpPort: number;
  controlPort: number;
  close(): Promise<void>;
}

const TLS_DIR = new URL("./tls/", import.meta.url);
const noFaults = (): FaultState => ({ rejectNext: 0, rejectUntil: 0, rejectCode: 451, dropAfterData: 0, match: "", countOnly: "" });

/** The header block's Message-ID and whether it has a Bcc header (header names are case-insensitive). */
function headerFacts(raw: Buffer): { messageId: string | null; bcc: boolean } {
  const text = raw.toString("utf8");
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  return { messageId: /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? null, bcc: /^bcc:/im.test(head) };
}

/** What the sink keeps of a message's SMTP session, next to the message. */
interface Received {
  session: Pick<SMTPServerSession, "secure" | "user"> & { envelope: CapturedMessage["envelope"] };
  dropped: boolean;
  parsed?: CapturedMessage;
}

export async function startSmtpSink(opts: SmtpSinkOptions): Promise<SmtpSink> {
  const { mode } = opts;
  /** Messages kept for GET /messages, parsed when first asked for (keeps SMTP replies fast). */
  const store = createMailStore<Received>();
  const arrivals: Arrival[] = [];
  const stats = { accepted: 0, rejected: 0, dropped: 0, authFailures: 0 };
  let faults = noFaults();

  /** The error for a rejected transaction, or null when no reject fault is active. */
  function rejection(): Error | null {
    if (faults.rejectNext <= 0 && Date.now() >= faults.rejectUntil) return null;
    if (faults.rejectNext > 0) faults.rejectNext--;
    stats.rejected++;
    const text = faults.rejectCode === 421 ? "Service not available, try again later" : "Temporary local problem, try again later";
    return Object.assign(new Error(text), { responseCode: faults.rejectCode });
  }

  function capture(raw: Buffer, session: SMTPServerSession, dropped: boolean): void {
    const to = session.envelope.rcptTo.map((r) => r.address);
    arrivals.push({ to, ...headerFacts(raw) });
    if (faults.countOnly && to.some((t) => t.includes(faults.countOnly))) return;
    const from = session.envelope.mailFrom;
    store.add(raw, { session: { envelope: { from: from ? from.address : null, to }, secure: session.secure, user: session.user }, dropped });
  }

  const tls = mode === "starttls" || mode === "tls" ? { key: readFileSync(new URL("server.key", TLS_DIR)), cert: readFileSync(new URL("server.pem", TLS_DIR)) } : undefined;
  const smtp = await startSmtp({
    mode,
    user: opts.user ?? "sink-user",
    pass: opts.pass ?? "sink-pass",
    tls,
    onAuthFailure: () => stats.authFailures++,
    // A transaction starts at MAIL FROM, so that is where "reject the next N" counts, unless the faults target
    // certain recipients, which are only known at RCPT TO.
    onMailFrom: () => (faults.match ? null : rejection()),
    onRcptTo: (address) => (faults.match && address.address.includes(faults.match) ? rejection() : null),
    onMessage(raw, session) {
      const targeted = !faults.match || session.envelope.rcptTo.some((r) => r.address.includes(faults.match));
      const drop = targeted && faults.dropAfterData > 0;
      if (drop) faults.dropAfterData--;
      // Recorded before replying, so by the time the client sees 250, GET /messages lists it.
      capture(raw, session, drop);
      if (drop) stats.dropped++;
      else stats.accepted++;
      return drop ? "drop" : "OK: queued by sink";
    },
  });
  const smtpPort = smtp.port;

  async function parsedMessages(): Promise<CapturedMessage[]> {
    const out: CapturedMessage[] = [];
    for (const entry of store.list()) out.push((entry.meta.parsed ??= await captured(entry)));
    return out;
  }

  async function captured(entry: ReturnType<typeof store.add>): Promise<CapturedMessage> {
    const { headerLines: _lines, date: _date, ...mail } = await store.parsed(entry);
    const { session, dropped } = entry.meta;
    return {
      seq: entry.seq,
      receivedAt: entry.receivedAt ?? "",
      mode,
      secure: session.secure,
      authUser: typeof session.user === "string" ? session.user : null,
      envelope: session.envelope,
      ...mail,
      hasBccHeader: "bcc" in mail.headers,
      droppedConnection: dropped,
      raw: store.raw(entry).toString("utf8"),
    };
  }

  function summary(match: string): SinkSummary {
    const mine = arrivals.filter((a) => a.to.some((t) => t.includes(match)));
    const ids = new Set(mine.map((a) => a.messageId));
    return { messages: mine.length, distinctMessageIds: ids.size, duplicates: mine.length - ids.size, bccHeaders: mine.filter((a) => a.bcc).length };
  }

  const control = createServer((req, res) => {
    handleControl(req, res).catch((err: unknown) => sendJson(res, 500, { error: String(err) }));
  });

  async function handleControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? "/", "http://sink");
    const route = `${req.method} ${pathname}`;
    if (route === "GET /health") {
      return sendJson(res, 200, { status: "ok", mode, smtpPort, messages: store.list().length, stats, faults: publicFaults() });
    }
    if (route === "GET /messages") return sendJson(res, 200, await parsedMessages());
    if (route === "GET /summary") return sendJson(res, 200, summary(new URL(req.url ?? "/", "http://sink").searchParams.get("match") ?? ""));
    if (route === "DELETE /messages") {
      store.clear();
      arrivals.length = 0;
      return sendJson(res, 200, { deleted: true });
    }
    if (route === "GET /faults") return sendJson(res, 200, publicFaults());
    if (route === "GET /cpu") return sendJson(res, 200, cpuTimes());
    if (route === "GET /connections") return sendJson(res, 200, smtp.connections());
    if (route === "DELETE /connections") return sendJson(res, 200, smtp.connections({ reset: true }));
    if (route === "POST /faults") {
      const body = (await readJson(req)) as SmtpFaults;
      const next = noFaults();
      next.rejectNext = count(body.rejectNext);
      next.dropAfterData = count(body.dropAfterData);
      next.rejectUntil = Math.max(count(body.rejectUntil), body.rejectForMs ? Date.now() + count(body.rejectForMs) : 0);
      if (body.rejectCode === 421 || body.rejectCode === 451) next.rejectCode = body.rejectCode;
      if (typeof body.match === "string") next.match = body.match;
      if (typeof body.countOnly === "string") next.countOnly = body.countOnly;
      faults = next;
      return sendJson(res, 200, publicFaults());
    }
    sendJson(res, 404, { error: `no route ${route}` });
  }

  function publicFaults() {
    return { ...faults, rejectUntil: faults.rejectUntil > Date.now() ? faults.rejectUntil : 0 };
  }

  const controlPort = await listen((port, cb) => control.listen(port, "127.0.0.1", cb), () => control.address());

  return {
    smtpPort,
    controlPort,
    async close() {
      control.closeAllConnections();
      await Promise.all([smtp.close(), new Promise<void>((resolve) => control.close(() => resolve()))]);
    },
  };
}

/**
 * CPU time used so far, in ms: this process (the sink, and the test runner around it, idle while a benchmark
 * sends) and the workerd processes it started (null where /proc is unavailable).
 */
function cpuTimes(): { sinkMs: number; workerdMs: number | null } {
  const usage = process.cpuUsage();
  return { sinkMs: (usage.user + usage.system) / 1000, workerdMs: workerdCpuMs() };
}

function count(v: unknown): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function listen(start: (port: number, cb: () => void) => void, address: () => AddressInfo | string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    try {
      start(0, () => {
        const a = address();
        if (a && typeof a === "object") resolve(a.port);
        else reject(new Error("server did not report a TCP port"));
      });
    } catch (err) {
      reject(err);
    }
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  return text ? JSON.parse(text) : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * The one local SMTP server (smtp-server + mailparser) behind both mail catchers: `scripts/mail-catcher.mjs`
 * (`npm start`, an inbox page) and `test/fakes/smtp-sink.ts` (tests, an HTTP control API with fault knobs).
 * Each keeps its own interface; the SMTP side and the message store live here.
 *
 * | mode       | what the client must do                       | matches worker-mailer options     |
 * |------------|-----------------------------------------------|-----------------------------------|
 * | `plain`    | nothing: no AUTH, no STARTTLS advertised      | `startTls: false`, no credentials |
 * | `auth`     | AUTH PLAIN or LOGIN over plaintext            | `credentials`, `startTls: false`  |
 * | `starttls` | STARTTLS, then AUTH                           | `startTls: true` (default)        |
 * | `tls`      | implicit TLS from the first byte, then AUTH   | `secure: true`                    |
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

/** The options a mode needs; `tls` (key and certificate) only for `starttls` and `tls`. */
function modeOptions(mode, { user, pass, tls, onAuthFailure }) {
  if (mode === "plain") {
    // worker-mailer throws if AUTH is merely advertised, and upgrades if STARTTLS is.
    return { authOptional: true, disabledCommands: ["STARTTLS", "AUTH"] };
  }
  const onAuth = (auth, _session, callback) => {
    if (auth.username === user && auth.password === pass) return callback(null, { user: auth.username });
    onAuthFailure?.();
    callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
  };
  if (mode === "auth") return { onAuth, authMethods: ["PLAIN", "LOGIN"], allowInsecureAuth: true, disabledCommands: ["STARTTLS"] };
  if (!tls) throw new Error(`SMTP mode ${mode} needs a TLS key and certificate`);
  // Default allowInsecureAuth=false: in starttls mode AUTH is refused until the upgrade.
  return { onAuth, ...tls, authMethods: ["PLAIN", "LOGIN"], secure: mode === "tls" };
}

/**
 * Starts an SMTP server. `onMessage(raw, session)` receives each message once its final `.` arrived and returns
 * the reply text, or `"drop"` to cut the connection without a reply; `onMailFrom`/`onRcptTo` may return an Error
 * to refuse the transaction there.
 */
export async function startSmtp({ mode = "plain", host = "127.0.0.1", port = 0, size = 10 * 1024 * 1024, user = "", pass = "", tls, onAuthFailure, onMailFrom, onRcptTo, onMessage }) {
  // Raw TCP sockets by "address:port", so a dropped session can be cut even after STARTTLS wrapped it.
  const sockets = new Map();
  const key = (address, remotePort) => `${address}:${remotePort}`;
  const smtp = new SMTPServer({
    logger: false,
    // Keep close() fast: sessions are few and short; nothing worth waiting 30 s for.
    closeTimeout: 200,
    size,
    ...modeOptions(mode, { user, pass, tls, onAuthFailure }),
    onMailFrom: (address, session, callback) => callback(onMailFrom?.(address, session) ?? null),
    onRcptTo: (address, session, callback) => callback(onRcptTo?.(address, session) ?? null),
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("error", callback);
      stream.on("end", () => {
        let reply;
        try {
          reply = onMessage(Buffer.concat(chunks), session);
        } catch (err) {
          return callback(err);
        }
        if (reply !== "drop") return callback(null, reply);
        // No reply at all: the client is left not knowing whether the message went out.
        sockets.get(key(session.remoteAddress, session.remotePort))?.destroy();
      });
    },
  });
  // smtp-server accepts on a plain net.Server (it upgrades TLS itself), so "connection" gives the raw socket.
  // Connections counted for the benchmarks: how many a run opened, and the most open at once.
  const connections = { total: 0, peakOpen: 0 };
  smtp.server.on("connection", (socket) => {
    const k = key(socket.remoteAddress, socket.remotePort);
    sockets.set(k, socket);
    connections.total++;
    connections.peakOpen = Math.max(connections.peakOpen, sockets.size);
    socket.once("close", () => sockets.delete(k));
  });
  // Client resets (including the ones a test causes) are expected.
  smtp.on("error", () => {});
  await new Promise((ok, fail) => {
    smtp.server.once("error", fail);
    smtp.listen(port, host, ok);
  });
  return {
    port: smtp.server.address().port,
    /** `{ total, open, peakOpen }`; `reset` starts a new peak from the connections open now. */
    connections({ reset = false } = {}) {
      if (reset) connections.peakOpen = sockets.size;
      return { total: connections.total, open: sockets.size, peakOpen: connections.peakOpen };
    },
    close() {
      // Destroy live sessions first; otherwise close waits for clients to hang up.
      for (const s of sockets.values()) s.destroy();
      return new Promise((r) => smtp.close(() => r()));
    },
  };
}

/** A message as both catchers show it, parsed by mailparser. */
export async function parseMail(raw) {
  const parsed = await simpleParser(raw);
  const headers = {};
  for (const line of parsed.headerLines) (headers[line.key] ??= []).push(line.line.slice(line.line.indexOf(":") + 1).trim());
  return {
    messageId: parsed.messageId ?? null,
    subject: parsed.subject ?? null,
    from: parsed.from?.text ?? null,
    to: addressText(parsed.to),
    date: parsed.date ?? null,
    html: typeof parsed.html === "string" ? parsed.html : null,
    text: parsed.text ?? null,
    headers,
    headerLines: parsed.headerLines.map((h) => h.line),
  };
}

function addressText(v) {
  if (!v) return null;
  return Array.isArray(v) ? v.map((a) => a.text).join(", ") : v.text;
}

const FILE_NAME = /^[0-9TZ-]+-[0-9a-f]{8}\.eml$/;

/**
 * The received messages, in order of arrival, each parsed when first asked for (keeps SMTP replies fast). With
 * `dir`, every message is also an `.eml` file there, and the files found at start are loaded, so an inbox
 * survives restarts.
 */
export function createMailStore({ dir } = {}) {
  const entries = [];
  let seq = 0;
  if (dir) {
    dir = resolve(dir);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).filter((n) => FILE_NAME.test(n)).sort()) entries.push({ id: name, seq: ++seq, receivedAt: null, meta: {} });
  }
  const raw = (entry) => (entry.raw ??= readFileSync(join(dir, entry.id)));
  return {
    dir,
    add(bytes, meta = {}) {
      const receivedAt = new Date().toISOString();
      // ISO time with ':' and '.' replaced keeps names sortable and valid on every filesystem.
      const id = dir ? `${receivedAt.replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml` : String(seq + 1);
      if (dir) writeFileSync(join(dir, id), bytes);
      const entry = { id, seq: ++seq, receivedAt, raw: bytes, meta };
      entries.push(entry);
      return entry;
    },
    list: () => entries,
    get: (id) => entries.find((e) => e.id === id),
    raw,
    async parsed(entry) {
      return (entry.parsed ??= await parseMail(raw(entry)));
    },
    clear() {
      entries.length = 0;
    },
  };
}

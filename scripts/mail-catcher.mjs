#!/usr/bin/env node
/**
 * Local mail catcher for `npm start`: an SMTP server the Worker sends to, and an inbox web page.
 *
 *   SMTP  127.0.0.1:2525  no AUTH, no STARTTLS (worker-mailer plain mode)
 *   HTTP  127.0.0.1:8025  inbox: list, message view (HTML in a sandboxed iframe, text, headers), raw .eml
 *
 * Every message is written to `.mail/<timestamp>-<id>.eml`, so the inbox survives restarts and
 * the files can be opened in any mail client. Run standalone (`node scripts/mail-catcher.mjs`)
 * or import `startMailCatcher()`. The SMTP server and the message store are scripts/mail-server.mjs, shared with
 * the tests' sink (test/fakes/smtp-sink.ts).
 *
 * Mail content is untrusted: every value is HTML-escaped, the HTML body is shown only through
 * `<iframe sandbox srcdoc>` (no scripts, no same-origin access), and the page's CSP blocks all
 * remote loads (tracking pixels included).
 */
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createMailStore, startSmtp } from "./mail-server.mjs";

/**
 * @param {{ smtpPort?: number, httpPort?: number, dir?: string, host?: string }} [options]
 * @returns {Promise<{ smtpPort: number, httpPort: number, dir: string, close(): Promise<void> }>}
 */
export async function startMailCatcher({ smtpPort = 2525, httpPort = 8025, dir = ".mail", host = "127.0.0.1" } = {}) {
  const store = createMailStore({ dir });
  const smtp = await startSmtp({
    mode: "plain",
    host,
    port: smtpPort,
    size: 25 * 1024 * 1024,
    onMessage: (raw) => `Saved as ${store.add(raw).id}`,
  });
  /** Newest first; only names the store made or found: no path traversal, no probing. */
  const newest = () => [...store.list()].reverse();

  const http = createServer((req, res) => {
    route(req, res).catch((err) => send(res, 500, "text/plain; charset=utf-8", `Error: ${err}`));
  });

  async function route(req, res) {
    const { pathname } = new URL(req.url ?? "/", "http://inbox");
    if (req.method !== "GET") return send(res, 405, "text/plain; charset=utf-8", "Method not allowed");
    if (pathname === "/") return send(res, 200, "text/html; charset=utf-8", await inboxPage());
    const m = /^\/m\/([^/]+?)(\.eml)?$/.exec(pathname);
    const entry = m ? store.get(`${decodeURIComponent(m[1])}.eml`) : undefined;
    if (!m || !entry) return send(res, 404, "text/plain; charset=utf-8", "Not found");
    if (m[2]) {
      res.writeHead(200, { "content-type": "message/rfc822", "content-disposition": `attachment; filename="${entry.id}"` });
      return res.end(store.raw(entry));
    }
    return send(res, 200, "text/html; charset=utf-8", messagePage(entry.id, await store.parsed(entry)));
  }

  async function inboxPage() {
    const rows = [];
    for (const entry of newest()) {
      const parsed = await store.parsed(entry);
      rows.push(`<tr>
  <td>${esc(parsed.date ? parsed.date.toISOString().replace("T", " ").slice(0, 19) : "")}</td>
  <td>${esc(parsed.from ?? "")}</td>
  <td>${esc(parsed.to ?? "")}</td>
  <td><a href="/m/${encodeURIComponent(entry.id.slice(0, -4))}">${esc(parsed.subject || "(no subject)")}</a></td>
</tr>`);
    }
    const body = rows.length
      ? `<table><thead><tr><th>Date (UTC)</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
      : `<p>No mail yet. The Worker sends to SMTP 127.0.0.1:${smtpPort}.</p>`;
    // A plain meta refresh keeps the page script-free.
    return layout("Cumulus local inbox", `<meta http-equiv="refresh" content="5">`, `<h1>Local inbox</h1>${body}`);
  }

  function messagePage(name, parsed) {
    const id = encodeURIComponent(name.slice(0, -4));
    const headers = parsed.headerLines.map((line) => esc(line)).join("\n");
    const html = parsed.html !== null
      ? `<h2>HTML</h2><iframe sandbox="" srcdoc="${esc(parsed.html)}" title="HTML body"></iframe>`
      : "";
    return layout(parsed.subject || "(no subject)", "", `<p><a href="/">&larr; Inbox</a> · <a href="/m/${id}.eml">Download .eml</a></p>
<h1>${esc(parsed.subject || "(no subject)")}</h1>
<dl><dt>From</dt><dd>${esc(parsed.from ?? "")}</dd><dt>To</dt><dd>${esc(parsed.to ?? "")}</dd>
<dt>Date</dt><dd>${esc(parsed.date?.toISOString() ?? "")}</dd><dt>File</dt><dd>${esc(name)}</dd></dl>
${html}
<h2>Text</h2><pre>${esc(parsed.text ?? "")}</pre>
<h2>Headers</h2><pre>${headers}</pre>`);
  }

  await new Promise((ok, fail) => {
    http.once("error", fail);
    http.listen(httpPort, host, ok);
  }).catch(async (err) => {
    await smtp.close();
    throw err;
  });

  return {
    smtpPort: smtp.port,
    httpPort: http.address().port,
    dir: store.dir,
    close: () =>
      Promise.all([
        smtp.close(),
        new Promise((r) => {
          http.closeAllConnections();
          http.close(r);
        }),
      ]).then(() => undefined),
  };
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function layout(title, head, body) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>${head}
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; }
pre { background: #f6f6f6; padding: .75rem; overflow: auto; white-space: pre-wrap; }
iframe { width: 100%; height: 28rem; border: 1px solid #ccc; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { font-weight: 600; }
</style></head><body>${body}</body></html>`;
}

function send(res, status, type, body) {
  res.writeHead(status, {
    "content-type": type,
    // Nothing remote, no scripts; the srcdoc iframe inherits this policy, so mail cannot load trackers.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
  });
  res.end(body);
}

// Standalone: node scripts/mail-catcher.mjs [--smtp-port N] [--http-port N] [--dir D]
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const arg = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const catcher = await startMailCatcher({
    smtpPort: Number(arg("--smtp-port", 2525)),
    httpPort: Number(arg("--http-port", 8025)),
    dir: arg("--dir", ".mail"),
  });
  console.log(`mail catcher: SMTP 127.0.0.1:${catcher.smtpPort}, inbox http://127.0.0.1:${catcher.httpPort}, files in ${catcher.dir}`);
  const stop = () => catcher.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

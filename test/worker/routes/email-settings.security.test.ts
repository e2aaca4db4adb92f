/**
 * Email security: the allowlist sanitizer against an XSS corpus (as template HTML and as tag values), subjects
 * that cannot inject headers, the SMTP host SSRF guard, and secrets that never leave the worker.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { SmtpSettingsDto, TemplateDetail } from "../../../worker/contract/email-dto";
import { fillHtml, headerSafe, renderTemplate } from "../../../worker/contract/email-render";
import { auditLog, emailSmtpSettings } from "../../../worker/db/schema";
import { sanitizeHtml, safeUrl } from "../../../worker/domain/email/sanitize";
import { smtpHostProblem } from "../../../worker/domain/email/smtp-host";
import { decryptSecret } from "../../../worker/integrations/crypto/secrets";
import { SMTP_PASSWORD_AAD } from "../../../worker/domain/email/smtp-settings";
import { createSession, db } from "../../factories";
import { expectError, testClient, callerAs, useWorld } from "../../helpers";
import { mailTo } from "../../mail";
import { FORBIDDEN_AFTER_SANITIZE, XSS_CORPUS } from "../../xss-corpus";

const world = useWorld();
afterEach(async () => {
  await db().delete(emailSmtpSettings);
});

const as = callerAs;

describe("HTML sanitizer", () => {
  it.each(XSS_CORPUS.map((v, i) => [i + 1, v] as const))("vector %i as template HTML leaves nothing executable", async (_n, vector) => {
    const out = await sanitizeHtml(`<p>before</p>${vector}<p>after</p>`);
    for (const bad of FORBIDDEN_AFTER_SANITIZE) expect(out, `${vector} → ${out}`).not.toMatch(bad);
    expect(out).toContain("<p>before</p>");
  });

  it("every vector as a tag value is escaped text, also inside attributes", async () => {
    for (const vector of XSS_CORPUS) {
      const html = await sanitizeHtml(fillHtml('<p title="{{x}}">{{x}}</p><a href="{{x}}">l</a>', { x: vector }));
      expect(html).not.toMatch(/<script|<img|<svg|<iframe/i);
      expect(html).not.toMatch(/href="[^"]*javascript/i);
    }
  });

  it("keeps ordinary email HTML intact and allows safe links and tag placeholders", async () => {
    const html = '<table role="presentation" width="100%"><tr><td style="color:#123456;padding:4px"><a href="https://example.com/x?a=1&amp;b=2">x</a> <a href="mailto:a@b.c">m</a> <img src="{{platform.logo_url}}" alt=""></td></tr></table>';
    expect(await sanitizeHtml(html)).toBe(html);
    expect(safeUrl("{{invoice.url}}")).toBe(true);
    expect(safeUrl("java\tscript:x")).toBe(false);
    expect(safeUrl("vbscript:x")).toBe(false);
  });

  it("saving refuses nothing silently: script is stripped and the response says so", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/email/templates/invoice.issued", { subject: "s", html: '<p onclick="x()">Hi</p><script>alert(1)</script>', text: "" });
    const body = (await res.json()) as TemplateDetail & { notice: string | null };
    expect(body.html).toBe("<p>Hi</p>");
    expect(body.notice).toMatch(/removed/);
  });
});

describe("header injection", () => {
  it("CR/LF in subjects and tag values never reach the headers", async () => {
    const call = await as(world.admin.id);
    const to = `hdr-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const res = await call("POST", "/api/email/templates/invoice.issued/test", {
      subject: "Invoice\r\nBcc: victim@example.test\r\nX-Injected: 1 {{invoice.number}}", html: "<p>x</p>", text: "x", branding: {}, to,
    });
    expect(res.status).toBe(200);
    const [msg] = await mailTo(to);
    expect(msg!.headers["x-injected"]).toBeUndefined();
    expect(msg!.hasBccHeader).toBe(false);
    expect(msg!.envelope.to).toEqual([to]);
    expect(msg!.subject).toBe("[Test] Invoice Bcc: victim@example.test X-Injected: 1 INV-2026-000123");
    const r = renderTemplate({ subject: "{{organization.name}}", html: "", text: "" }, { "organization.name": "Evil\r\nBcc: a@b.c\u2028X: y" }, {}, "https://x.example");
    expect(r.subject).not.toMatch(/[\r\n\u2028]/);
    expect(headerSafe("a\nb\rc\u0000d")).toBe("a b c d");
  });
});

describe("SMTP host SSRF guard", () => {
  const refused = [
    "127.0.0.1", "127.1", "0177.0.0.1", "0x7f.0.0.1", "2130706433", "017700000001", "10.0.0.5", "172.16.4.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "[::1]", "::", "::ffff:127.0.0.1", "[::ffff:169.254.169.254]", "::ffff:7f00:1",
    "fe80::1", "fc00::1", "fd00:ec2::254", "64:ff9b::a9fe:a9fe", "2001:db8::1", "localhost", "localhost.", "LOCALHOST", "smtp.localhost", "mail.internal",
    "metadata.google.internal", "printer.local", "router.lan", "intranet", "smtp.example.com.", "a..b", "-bad.example.com", "smtp.example.com:25", "1.2.3.4.5", "010.0.0.1",
  ];
  it.each(refused)("refuses %s (production rules)", (host) => {
    expect(smtpHostProblem(host, { allowLoopback: false })).not.toBeNull();
  });
  it("accepts public names and addresses; loopback only with the explicit development switch", () => {
    for (const host of ["smtp.example.com", "smtp.sendgrid.net", "203.0.113.9".replace("203.0.113", "198.41.200"), "2606:4700::1111", "email-smtp.eu-west-1.amazonaws.com"]) {
      expect(smtpHostProblem(host, { allowLoopback: false }), host).toBeNull();
    }
    for (const host of ["127.0.0.1", "::1", "localhost"]) expect(smtpHostProblem(host, { allowLoopback: true })).toBeNull();
    // The switch allows loopback only: other private ranges stay refused.
    expect(smtpHostProblem("10.0.0.1", { allowLoopback: true })).not.toBeNull();
    expect(smtpHostProblem("169.254.169.254", { allowLoopback: true })).not.toBeNull();
  });

  it("the API refuses SSRF hosts before anything is stored", async () => {
    const call = await as(world.admin.id);
    for (const host of ["169.254.169.254", "10.1.2.3", "0x7f000001", "[fd00::1]", "metadata.google.internal"]) {
      const err = await expectError(await call("PUT", "/api/email/smtp", { host, port: 587, secure: true, useAuth: false, login: "", fromName: "C", fromAddress: "a@cumulus.example" }), 400, "VALIDATION_FAILED");
      expect(err.fields!.host).toBeTruthy();
    }
    expect(await db().select().from(emailSmtpSettings)).toHaveLength(0);
  });
});

describe("SMTP password", () => {
  it("is never returned, never in the audit log, and bound to its row by AAD", async () => {
    const call = await as(world.admin.id);
    const secret = `s3cret-${crypto.randomUUID()}`;
    const res = await call("PUT", "/api/email/smtp", { host: "127.0.0.1", port: 2525, secure: false, useAuth: true, login: "u", password: secret, fromName: "C", fromAddress: "a@cumulus.example" });
    const body = (await res.json()) as SmtpSettingsDto;
    expect(JSON.stringify(body)).not.toContain(secret);
    expect(body.passwordSet).toBe(true);
    const got = await (await call("GET", "/api/email/smtp")).text();
    expect(got).not.toContain(secret);
    expect(got).not.toContain("v1.");
    const audits = await db().select().from(auditLog);
    expect(JSON.stringify(audits)).not.toContain(secret);
    const row = (await db().select().from(emailSmtpSettings).get())!;
    expect(await decryptSecret(env.SECRETS_KEY, row.passwordEnc!, SMTP_PASSWORD_AAD)).toBe(secret);
    await expect(decryptSecret(env.SECRETS_KEY, row.passwordEnc!, "org_other|smtp.password|v1")).rejects.toThrow();
  });
});

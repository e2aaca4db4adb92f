/** Email settings: refusals with field-level messages, privileges, and clear reasons when SMTP fails. */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { SendResult } from "../../../worker/contract/email-dto";
import { emailSmtpSettings } from "../../../worker/db/schema";
import { classifySmtpError } from "../../../worker/domain/email/send-now";
import { smtpPortProblem } from "../../../worker/domain/email/smtp-host";
import { transportFor } from "../../../worker/domain/email/smtp-settings";
import { mailTo } from "../../mail";
import { parseConfig } from "../../../worker/env";
import { createSession, createUser, db } from "../../factories";
import { expectError, testClient, callerAs, useWorld } from "../../helpers";

const world = useWorld();
afterEach(async () => {
  await db().delete(emailSmtpSettings);
});

const as = callerAs;

const smtpBase = { host: "127.0.0.1", port: 2525, secure: false, useAuth: false, login: "", fromName: "Cumulus", fromAddress: "billing@cumulus.example" };

describe("privileges", () => {
  it("customers, resellers and staff without email.settings get 403 on every email settings route", async () => {
    const staff = await createUser({ orgId: world.operator.id, role: "staff", privileges: ["audit.read", "organizations.read"] });
    for (const userId of [world.customerAUser.id, world.resellerAUser.id, staff.id]) {
      const call = await as(userId);
      for (const [m, p, b] of [
        ["GET", "/api/email/templates"],
        ["PUT", "/api/email/templates/invoice.issued", { subject: "x", html: "<p>x</p>", text: "" }],
        ["GET", "/api/email/smtp"],
        ["PUT", "/api/email/smtp", smtpBase],
        ["PUT", "/api/email/delivery", { rules: [] }],
        ["GET", "/api/email/log"],
        ["POST", "/api/email/assets", { name: "a.png", contentType: "image/png", data: "iVBORw0KGgo=" }],
      ] as const) {
        await expectError(await call(m, p, b), 403, "FORBIDDEN");
      }
    }
  });
});

describe("template validation", () => {
  it("refuses an unknown tag, naming it, in subject, HTML and text", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/email/templates/invoice.issued", { subject: "{{invoice.nope}}", html: "<p>{{card.last4}} {{ invoice total }}</p>", text: "{{invoice.total}}" });
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(err.message).toContain("{{invoice.nope}}");
    expect(err.fields!.subject).toContain("{{invoice.nope}}");
    expect(err.fields!.html).toContain("{{card.last4}}");
    expect(err.fields!.html).toContain("invoice total");
    expect(err.fields!.text).toBeUndefined();
  });

  it("unknown type, missing version, bad colour and missing logo are refused", async () => {
    const call = await as(world.admin.id);
    await expectError(await call("GET", "/api/email/templates/nope.nope"), 404, "NOT_FOUND");
    await expectError(await call("POST", "/api/email/templates/invoice.issued/versions/99/restore"), 404, "NOT_FOUND");
    const colour = await expectError(await call("PUT", "/api/email/templates/invoice.issued", { subject: "s", html: "<p>x</p>", text: "", branding: { background: "red;background:url(x)" } }), 400, "VALIDATION_FAILED");
    expect(colour.fields!["branding.background"]).toMatch(/#1d4ed8/);
    await expectError(await call("PUT", "/api/email/templates/invoice.issued", { subject: "s", html: "<p>x</p>", text: "", branding: { logoAssetId: "img_nope" } }), 400, "VALIDATION_FAILED");
  });

  it("refuses images that are not PNG/JPEG/GIF/WebP (by content, not by the declared type) or too large", async () => {
    const call = await as(world.admin.id);
    const svg = btoa('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    await expectError(await call("POST", "/api/email/assets", { name: "x.svg", contentType: "image/svg+xml", data: svg }), 400, "VALIDATION_FAILED");
    const lying = await expectError(await call("POST", "/api/email/assets", { name: "x.png", contentType: "image/png", data: svg }), 400, "VALIDATION_FAILED");
    expect(lying.fields!.data).toMatch(/PNG, JPEG/);
    const big = btoa("\x89PNG" + "x".repeat(600 * 1024));
    await expectError(await call("POST", "/api/email/assets", { name: "big.png", contentType: "image/png", data: big }), 400, "VALIDATION_FAILED");
  });
});

describe("SMTP configuration errors", () => {
  it("field errors: host, port, login and password when authentication is on", async () => {
    const call = await as(world.admin.id);
    const err = await expectError(await call("PUT", "/api/email/smtp", { ...smtpBase, host: "169.254.169.254", port: 70000, useAuth: true }), 400, "VALIDATION_FAILED");
    expect(err.fields!.port).toMatch(/between 1 and 65535/);
    const err2 = await expectError(await call("PUT", "/api/email/smtp", { ...smtpBase, host: "169.254.169.254", useAuth: true }), 400, "VALIDATION_FAILED");
    expect(err2.fields!.host).toMatch(/metadata/);
    expect(err2.fields!.login).toMatch(/required/);
    expect(err2.fields!.password).toMatch(/required/);
  });

  it("port 25 is refused in production with the reason; the loopback switch is refused in production", async () => {
    expect(smtpPortProblem(25, { production: true })).toMatch(/Port 25 is blocked on Cloudflare/);
    expect(smtpPortProblem(8025, { production: true })).toMatch(/587/);
    for (const port of [465, 587, 2525]) expect(smtpPortProblem(port, { production: true })).toBeNull();
    expect(smtpPortProblem(25, { production: false })).toBeNull();
    const parsed = parseConfig({ ...env, APP_ENV: "production", PUBLIC_ORIGIN: "https://billing.example.com", SMTP_HOST: undefined, SMTP_PORT: undefined, SMTP_ALLOW_LOOPBACK: "true" });
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).toContain("SMTP_ALLOW_LOOPBACK");
  });

  it("Send Test Email reports connection refused and authentication failures clearly", async () => {
    const call = await as(world.admin.id);
    // A port nothing listens on.
    await call("PUT", "/api/email/smtp", { ...smtpBase, port: 1 });
    const refused = (await (await call("POST", "/api/email/smtp/test", { to: "x@example.test", message: "m" })).json()) as SendResult;
    expect(refused).toMatchObject({ ok: false });
    expect(["connection_refused", "timeout"], refused.detail).toContain(refused.reason);
    // Wrong password on the AUTH sink.
    await call("PUT", "/api/email/smtp", { ...smtpBase, port: Number(env.SMTP_AUTH_PORT), useAuth: true, login: env.SMTP_TEST_USER, password: "wrong-password" });
    const auth = (await (await call("POST", "/api/email/smtp/test", { to: "y@example.test", message: "m" })).json()) as SendResult;
    expect(auth).toMatchObject({ ok: false, reason: "auth_failed" });
    expect(auth.detail).toMatch(/Authentication failed/);
  });

  it("Use Secured Connection requires STARTTLS: a server that does not offer it gets neither credentials nor mail", async () => {
    const call = await as(world.admin.id);
    // The plain sink advertises neither STARTTLS nor AUTH.
    const saved = await call("PUT", "/api/email/smtp", { ...smtpBase, port: Number(env.SMTP_PORT), secure: true });
    expect(saved.status).toBe(200);
    const to = `downgrade-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const res = (await (await call("POST", "/api/email/smtp/test", { to, message: "m" })).json()) as SendResult;
    expect(res).toMatchObject({ ok: false, reason: "tls_untrusted" });
    expect(res.detail).toMatch(/did not offer STARTTLS/);
    expect(await mailTo(to)).toHaveLength(0);
  });

  it("Use Secured Connection: implicit TLS on 465, STARTTLS on other ports, neither when unchecked", () => {
    expect(transportFor(465, true)).toEqual({ secure: true, startTls: false });
    expect(transportFor(587, true)).toEqual({ secure: false, startTls: true });
    expect(transportFor(2525, true)).toEqual({ secure: false, startTls: true });
    expect(transportFor(587, false)).toEqual({ secure: false, startTls: false });
  });

  it("classifies TLS and timeout failures", () => {
    const at = { host: "smtp.example.com", port: 587 };
    expect(classifySmtpError(new Error("TLS peer's certificate is not trusted; reason = unable to get local issuer certificate"), at).reason).toBe("tls_untrusted");
    expect(classifySmtpError(new Error("Timeout while waiting for smtp server response"), at).reason).toBe("timeout");
    expect(classifySmtpError(new Error("535 5.7.8 Authentication credentials invalid"), at).reason).toBe("auth_failed");
    expect(classifySmtpError(new Error("550 5.1.1 Mailbox unavailable"), at).reason).toBe("rejected");
  });
});

describe("delivery configuration errors", () => {
  it("refuses invalid BCC addresses and copies of single-use-link mail", async () => {
    const call = await as(world.admin.id);
    const bad = await expectError(await call("PUT", "/api/email/delivery", { rules: [{ event: "invoice.issued", sendToCustomers: true, bccAdmin: false, bccTo: ["not-an-address"] }] }), 400, "VALIDATION_FAILED");
    expect(bad.fields!["rules.0.bccTo.0"]).toMatch(/valid email/);
    const link = await expectError(await call("PUT", "/api/email/delivery", { rules: [{ event: "account.created", sendToCustomers: true, bccAdmin: true, bccTo: [] }] }), 400, "VALIDATION_FAILED");
    expect(link.fields!["rules.0.bccTo"]).toMatch(/never copied/);
    await expectError(await call("POST", "/api/email/log/eml_nope/resend"), 404, "NOT_FOUND");
  });
});

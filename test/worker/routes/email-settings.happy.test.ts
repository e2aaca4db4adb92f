/**
 * Email settings, as the Cloud-Admin (and staff holding email.settings) uses them: templates edited with
 * versions, tags filled in real mail, SMTP configuration used by the consumer (AUTH, STARTTLS), delivery rules
 * and BCC copies as separate messages, images served publicly, the Email Log with resend. Every mutation
 * leaves one audit row.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryRule, EmailLogDetail, SendResult, SmtpSettingsDto, TemplateDetail } from "../../../worker/contract/email-dto";
import type { Page } from "../../../worker/contract/dto";
import type { EmailLogItem } from "../../../worker/contract/email-dto";
import { atomically } from "../../../worker/db/atomic";
import { emailOutbox, emailSmtpSettings } from "../../../worker/db/schema";
import { prepareNotification } from "../../../worker/domain/email/notify";
import { systemClock } from "../../../worker/integrations/clock";
import type { EmailMessage } from "../../../worker/contract/messages";
import worker from "../../../worker/index";
import { createSession, createUser, createWorld, db, type World } from "../../factories";
import { auditRows, expectAudit, testClient } from "../../helpers";
import { mailTo, type SinkMessage } from "../../mail";
import { testCtx } from "../../context";

let world: World;
beforeAll(async () => {
  world = await createWorld();
});

afterEach(async () => {
  // Back to the development fallback (the plain sink) for the next test.
  await db().delete(emailSmtpSettings);
});

async function as(userId: string) {
  const client = testClient();
  const cookie = await createSession(userId, client.clock.now());
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const res = await client.request(method, path, { cookie, body });
    return { status: res.status, body: (await res.json()) as T };
  };
  return { call };
}

const ctx = () => testCtx({ clock: systemClock });

export async function runConsumer(messages: EmailMessage[], attempts = 1) {
  const batch = createMessageBatch<EmailMessage>("cumulus-email", messages.map((body, i) => ({ id: `m-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })));
  const ec = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ec);
  return getQueueResult(batch, ec);
}

async function sinkMail(controlPort: string, address: string): Promise<Array<SinkMessage & { secure: boolean; authUser: string | null }>> {
  const all = (await (await fetch(`http://127.0.0.1:${controlPort}/messages`)).json()) as Array<SinkMessage & { secure: boolean; authUser: string | null }>;
  return all.filter((m) => m.envelope.to.includes(address));
}


describe("email templates", () => {
  it("lists every type; edit, save (versioned), restore and reset, each audited; the saved template is what is sent", async () => {
    const me = await as(world.admin.id);
    const list = await me.call<{ items: { event: string; customized: boolean }[] }>("GET", "/api/email/templates");
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.event)).toContain("invoice.issued");
    expect(list.body.items.length).toBeGreaterThanOrEqual(16);

    const original = await me.call<TemplateDetail>("GET", "/api/email/templates/password.changed");
    expect(original.body).toMatchObject({ version: 0, customized: false });
    expect(original.body.tags.map((t) => t.name)).toEqual(expect.arrayContaining(["organization.name", "security.changed_at", "request.ip"]));

    const saved = await me.call<TemplateDetail & { notice: string | null }>("PUT", "/api/email/templates/password.changed", {
      subject: "Password changed for {{organization.name}}",
      html: "<h1 style=\"color:{{brand.heading_color}}\">Hi {{user.first_name}}</h1><p>Changed {{security.changed_at}} from {{request.ip}}. <a href=\"{{portal.url}}\">Portal</a></p>",
      text: "Hi {{user.first_name}}, changed {{security.changed_at}}",
      branding: { headingColor: "#aa0000", background: "#ffffff" },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, customized: true, notice: null });
    expect(saved.body.versions.map((v) => v.version)).toEqual([1]);

    const second = await me.call<TemplateDetail>("PUT", "/api/email/templates/password.changed", { ...saved.body, subject: "Second {{platform.name}}" });
    expect(second.body.version).toBe(2);
    const restored = await me.call<TemplateDetail>("POST", "/api/email/templates/password.changed/versions/1/restore");
    expect(restored.body).toMatchObject({ version: 3, subject: "Password changed for {{organization.name}}" });
    expect(restored.body.versions[0]!.note).toBe("restore of v1");

    // The consumer sends the saved template with tags filled and escaped.
    const user = await createUser({ orgId: world.customerA.id, role: "customer" });
    const c = ctx();
    const mail = await prepareNotification(c, { event: "password.changed", orgId: world.customerA.id, to: { userId: user.id }, tags: { "security.changed_at": "22 Nov 2026", "request.ip": "<b>x</b>" }, idempotencyKey: `pc:${user.id}` });
    await atomically(c.db, mail.statements);
    await runConsumer(mail.messages);
    const [msg] = await mailTo(user.email);
    expect(msg!.subject).toBe(`Password changed for ${world.customerA.name}`);
    expect(msg!.html).toContain('style="color:#aa0000"');
    expect(msg!.html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(msg!.text).toContain("changed 22 Nov 2026");

    const reset = await me.call<TemplateDetail>("POST", "/api/email/templates/password.changed/reset");
    expect(reset.body).toMatchObject({ version: 4, customized: false });
    await expectAudit({ action: "email.template.save", targetId: "password.changed" }, 2);
    await expectAudit({ action: "email.template.restore", targetId: "password.changed" });
    await expectAudit({ action: "email.template.reset", targetId: "password.changed" });
  });

  it("Send Test Email renders the draft with example data and really sends it", async () => {
    const staff = await createUser({ orgId: world.operator.id, role: "staff", privileges: ["email.settings"] });
    const me = await as(staff.id);
    const to = `tpl-test-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const res = await me.call<SendResult>("POST", "/api/email/templates/invoice.issued/test", {
      subject: "Invoice {{invoice.number}}", html: "<p>Total {{invoice.total}} for {{organization.name}}</p>", text: "Total {{invoice.total}}", branding: {}, to,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, reason: "sent" });
    expect(res.body.detail).toMatch(/^Accepted by 127\.0\.0\.1:\d+: 250/);
    const [msg] = await mailTo(to);
    expect(msg!.subject).toBe("[Test] Invoice INV-2026-000123");
    expect(msg!.html).toContain("Total €120.54 for Brightwater Logistics Ltd");
    // With a real organization's data instead of the examples.
    const to2 = `tpl-org-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await me.call("POST", "/api/email/templates/invoice.issued/test", { subject: "S", html: "<p>{{organization.name}}</p>", text: "", branding: {}, to: to2, orgId: world.customerB.id });
    expect((await mailTo(to2))[0]!.html).toContain(world.customerB.name);
  });

  it("uploads a logo (audited), serves it publicly and uses it as {{platform.logo_url}}", async () => {
    const me = await as(world.admin.id);
    const png = btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4));
    const up = await me.call<{ id: string; url: string; contentType: string }>("POST", "/api/email/assets", { name: "logo.png", contentType: "image/png", data: png });
    expect(up.status).toBe(201);
    expect(up.body.url).toBe(`http://localhost:8787/api/email-assets/${up.body.id}`);
    const anon = await testClient().request("GET", `/api/email-assets/${up.body.id}`);
    expect(anon.status).toBe(200);
    expect(anon.headers.get("content-type")).toBe("image/png");
    expect(anon.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await anon.arrayBuffer())[0]).toBe(0x89);
    await expectAudit({ action: "email.asset.upload", targetId: up.body.id });

    const saved = await me.call<TemplateDetail>("PUT", "/api/email/templates/wallet.credited", { subject: "Credit", html: '<img src="{{platform.logo_url}}" alt="logo"><p>{{wallet.credit_amount}}</p>', text: "", branding: { logoAssetId: up.body.id } });
    expect(saved.status).toBe(200);
    const to = `logo-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await me.call("POST", "/api/email/templates/wallet.credited/test", { ...saved.body, to });
    expect((await mailTo(to))[0]!.html).toContain(`src="${up.body.url}"`);
  });
});

describe("SMTP configuration", () => {
  it("saves (password encrypted, never returned, masked in the audit); the consumer uses it with AUTH", async () => {
    const me = await as(world.admin.id);
    const before = await me.call<SmtpSettingsDto>("GET", "/api/email/smtp");
    expect(before.body).toMatchObject({ source: "development", host: "127.0.0.1", passwordSet: false, allowLoopback: true });
    const saved = await me.call<SmtpSettingsDto>("PUT", "/api/email/smtp", {
      host: "127.0.0.1", port: Number(env.SMTP_AUTH_PORT), secure: false, useAuth: true, login: env.SMTP_TEST_USER, password: env.SMTP_TEST_PASS, fromName: "Cumulus Billing", fromAddress: "billing@cumulus.example",
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: "saved", useAuth: true, login: env.SMTP_TEST_USER, passwordSet: true });
    expect(JSON.stringify(saved.body)).not.toContain(env.SMTP_TEST_PASS);
    const row = await db().select().from(emailSmtpSettings).get();
    expect(row!.passwordEnc).toMatch(/^v1\./);
    expect(row!.passwordEnc).not.toContain(env.SMTP_TEST_PASS);
    const [audit] = await auditRows({ action: "email.smtp.save", targetId: "default" });
    expect(audit!.diff).not.toContain(env.SMTP_TEST_PASS);
    expect(JSON.parse(audit!.diff).password).toEqual({ before: null, after: "••••" });

    // Saved again without a password: the stored one is kept.
    const again = await me.call<SmtpSettingsDto>("PUT", "/api/email/smtp", { ...saved.body, password: "" });
    expect(again.body.passwordSet).toBe(true);

    const user = await createUser({ orgId: world.customerA.id, role: "customer" });
    const c = ctx();
    const mail = await prepareNotification(c, { event: "mfa.enabled", orgId: world.customerA.id, to: { userId: user.id }, tags: {}, idempotencyKey: `mfa:${user.id}` });
    await atomically(c.db, mail.statements);
    const result = await runConsumer(mail.messages);
    expect(result.explicitAcks).toHaveLength(1);
    const [msg] = await sinkMail(env.SMTP_AUTH_CONTROL_PORT, user.email);
    expect(msg!.authUser).toBe(env.SMTP_TEST_USER);
    expect(msg!.envelope.from).toBe("billing@cumulus.example");

    // SMTP "Send Test Email": the server's answer.
    const to = `smtp-test-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const test = await me.call<SendResult>("POST", "/api/email/smtp/test", { to, from: "ops@cumulus.example", message: "Hello from the test" });
    expect(test.body).toMatchObject({ ok: true, reason: "sent" });
    expect(test.body.detail).toMatch(/250/);
    const [t] = await sinkMail(env.SMTP_AUTH_CONTROL_PORT, to);
    expect(t!.envelope.from).toBe("ops@cumulus.example");
    expect(t!.text).toContain("Hello from the test");
  });

  it("STARTTLS with the test CA when Use Secured Connection is checked on a submission port", async () => {
    const me = await as(world.admin.id);
    const saved = await me.call<SmtpSettingsDto>("PUT", "/api/email/smtp", {
      host: "127.0.0.1", port: Number(env.SMTP_STARTTLS_PORT), secure: true, useAuth: true, login: env.SMTP_TEST_USER, password: env.SMTP_TEST_PASS, fromName: "Cumulus", fromAddress: "billing@cumulus.example",
    });
    expect(saved.status).toBe(200);
    const to = `starttls-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const test = await me.call<SendResult>("POST", "/api/email/smtp/test", { to, message: "over TLS" });
    expect(test.body, test.body.detail).toMatchObject({ ok: true });
    const [msg] = await sinkMail(env.SMTP_STARTTLS_CONTROL_PORT, to);
    expect(msg!.secure).toBe(true);
    expect(msg!.authUser).toBe(env.SMTP_TEST_USER);
  });
});

describe("delivery configuration", () => {
  it("a type switched off is not sent to customers; BCC copies arrive as separate messages without a Bcc header", async () => {
    const me = await as(world.admin.id);
    const extra1 = `bcc-a-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const extra2 = `bcc-b-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const saved = await me.call<{ items: DeliveryRule[] }>("PUT", "/api/email/delivery", {
      rules: [{ event: "invoice.issued", sendToCustomers: false, bccAdmin: true, bccTo: [extra1, extra2.toUpperCase()] }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.items.find((r) => r.event === "invoice.issued")).toMatchObject({ sendToCustomers: false, bccAdmin: true, bccTo: [extra1, extra2] });
    await expectAudit({ action: "email.delivery.save", targetId: "invoice.issued" });

    const c = ctx();
    const mail = await prepareNotification(c, { event: "invoice.issued", orgId: world.customerB.id, to: { primaryContactOf: world.customerB.id }, tags: { "invoice.number": "INV-9" }, idempotencyKey: `inv:${crypto.randomUUID()}` });
    expect(mail.messages).toHaveLength(3);
    await atomically(c.db, mail.statements);
    await runConsumer(mail.messages);
    expect(await mailTo(world.customerBUser.email)).toHaveLength(0);
    for (const address of [world.admin.email, extra1, extra2]) {
      const got = await mailTo(address);
      expect(got.filter((m) => m.subject?.includes("Invoice Issued"))).toHaveLength(1);
      for (const m of got) {
        expect(m.hasBccHeader).toBe(false);
        expect(m.envelope.to).toEqual([address]);
      }
    }
    const rows = await db().select().from(emailOutbox).where(eq(emailOutbox.event, "invoice.issued"));
    expect(rows.map((r) => r.copyKind).sort()).toEqual(["bcc_admin", "bcc_extra", "bcc_extra"]);

    // Security mail still reaches the user whatever the switch says.
    await me.call("PUT", "/api/email/delivery", { rules: [{ event: "password.changed", sendToCustomers: false, bccAdmin: false, bccTo: [] }] });
    const sec = await prepareNotification(c, { event: "password.changed", orgId: world.customerB.id, to: { userId: world.customerBUser.id }, tags: {}, idempotencyKey: `sec:${crypto.randomUUID()}` });
    expect(sec.messages).toHaveLength(1);
  });
});

describe("email log", () => {
  it("lists every message with filters, shows its content and resends it as a new, audited outbox row", async () => {
    const me = await as(world.admin.id);
    const to = `log-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await me.call("POST", "/api/email/smtp/test", { to, message: "for the log" });
    const page = await me.call<Page<EmailLogItem>>("GET", `/api/email/log?q=${encodeURIComponent(to)}&status=sent`);
    expect(page.body.total).toBe(1);
    const item = page.body.items[0]!;
    expect(item).toMatchObject({ event: "email.smtp_test", status: "sent", attempts: 1, to });
    expect((await me.call<Page<EmailLogItem>>("GET", `/api/email/log?q=${encodeURIComponent(to)}&status=failed`)).body.total).toBe(0);
    const detail = await me.call<EmailLogDetail>("GET", `/api/email/log/${item.id}`);
    expect(detail.body.html).toContain("for the log");

    const user = await createUser({ orgId: world.customerA.id, role: "customer" });
    const c = ctx();
    const mail = await prepareNotification(c, { event: "passkey.added", orgId: world.customerA.id, to: { userId: user.id }, tags: { "passkey.name": "Laptop" }, idempotencyKey: `pk:${user.id}` });
    await atomically(c.db, mail.statements);
    await runConsumer(mail.messages);
    const original = (await me.call<Page<EmailLogItem>>("GET", `/api/email/log?q=${encodeURIComponent(user.email)}`)).body.items[0]!;
    const resent = await me.call<EmailLogDetail>("POST", `/api/email/log/${original.id}/resend`);
    expect(resent.status).toBe(201);
    expect(resent.body).toMatchObject({ status: "queued", to: user.email, resentFrom: original.id });
    await expectAudit({ action: "email.resend", targetId: original.id });
    const row = await db().select().from(emailOutbox).where(eq(emailOutbox.id, resent.body.id)).get();
    await runConsumer([{ type: "email.send", outboxId: row!.id, idempotencyKey: row!.idempotencyKey }]);
    const got = await mailTo(user.email);
    expect(got).toHaveLength(2);
    expect(got[1]!.html).toBe(got[0]!.html);
    expect(got[1]!.messageId).not.toBe(got[0]!.messageId);
  });
});

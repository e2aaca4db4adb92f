/**
 * The email pipeline end to end inside workerd: outbox row in the business batch → queue message → consumer →
 * worker-mailer → the real SMTP sink on loopback. Promises: never lost, never sent twice on redelivery,
 * failures retried with backoff and finally recorded.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { atomically } from "../../../worker/db/atomic";
import { emailOutbox } from "../../../worker/db/schema";
import { prepareNotification } from "../../../worker/domain/email/notify";
import { systemClock } from "../../../worker/integrations/clock";
import type { EmailMessage } from "../../../worker/contract/messages";
import worker from "../../../worker/index";
import { createOrg, createUser, db } from "../../factories";
import { mailTo, withSinkFaults } from "../../mail";
import { testCtx } from "../../context";
import { attachmentRenderers } from "../../../worker/domain/context";
import type { AttachmentRenderers } from "../../../worker/domain/email/attachments";
import { handleEmailBatch } from "../../../worker/queues/email";

const domainCtx = () => testCtx({ clock: systemClock });

/** Through the Worker's queue entry; with `renderers`, straight into the email consumer with those renderers. */
async function runConsumer(messages: EmailMessage[], attempts = 1, renderers?: AttachmentRenderers) {
  const batch = createMessageBatch<EmailMessage>("cumulus-email", messages.map((body, i) => ({ id: `msg-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })));
  // getQueueResult does not record retry delays: spy on retry() to see them.
  const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  if (renderers) await handleEmailBatch(batch as MessageBatch<unknown>, env, ctx, { renderers });
  else await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryDelays: retries.flatMap((spy) => spy.mock.calls.map((call) => call[0]?.delaySeconds)) };
}

async function queuedPasswordChangedMail() {
  const org = await createOrg({ name: `Mail Org ${crypto.randomUUID().slice(0, 6)}` });
  const user = await createUser({ orgId: org.id, role: "customer" });
  const ctx = domainCtx();
  const mail = await prepareNotification(ctx, {
    event: "password.changed",
    orgId: org.id,
    to: { userId: user.id },
    tags: { "security.changed_at": "22 Nov 2026 10:15 UTC", "request.ip": "<script>alert(1)</script>" },
    idempotencyKey: `password.changed:${user.id}:1`,
  });
  await atomically(ctx.db, mail.statements);
  return { org, user, ctx, mail };
}

describe("email delivery", () => {
  it("delivers an outbox email over SMTP with tags filled, values escaped and our Message-ID", async () => {
    const { org, user, mail } = await queuedPasswordChangedMail();
    expect(mail.messages).toHaveLength(1);
    const result = await runConsumer(mail.messages);
    expect(result.explicitAcks).toHaveLength(1);
    const received = await mailTo(user.email);
    expect(received).toHaveLength(1);
    const msg = received[0]!;
    expect(msg.subject).toBe("Cumulus: Password Changed");
    expect(msg.html).toContain(`Hello ${user.firstName}`);
    expect(msg.html).toContain(org.name);
    expect(msg.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(msg.html).not.toContain("<script>");
    expect(msg.text).toContain("22 Nov 2026 10:15 UTC");
    expect(msg.hasBccHeader).toBe(false);
    const row = await db().select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, mail.messages[0]!.idempotencyKey)).get();
    expect(row).toMatchObject({ status: "sent", attempts: 1, toAddress: user.email });
    expect(msg.messageId).toBe(row!.messageId);
  });

  it("a redelivered queue message does not send twice, and the same idempotency key never queues a second email", async () => {
    const { user, ctx, mail } = await queuedPasswordChangedMail();
    await runConsumer(mail.messages);
    await runConsumer(mail.messages, 2);
    const again = await prepareNotification(ctx, { event: "password.changed", orgId: null, to: { userId: user.id }, tags: {}, idempotencyKey: mail.messages[0]!.idempotencyKey });
    await atomically(ctx.db, again.statements);
    await runConsumer(again.messages);
    expect(await mailTo(user.email)).toHaveLength(1);
    const rows = await db().select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email));
    expect(rows).toHaveLength(1);
  });

  it("survives an SMTP outage: retried with backoff while the server refuses, delivered once when it recovers", async () => {
    const { user, mail } = await queuedPasswordChangedMail();
    await withSinkFaults({ rejectNext: 1000, match: user.email }, async () => {
      const failed = await runConsumer(mail.messages, 3);
      expect(failed.explicitAcks).toEqual([]);
      expect(failed.retryMessages).toHaveLength(1);
      expect(failed.retryDelays).toEqual([8]);
      const row = await db().select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).get();
      expect(row).toMatchObject({ status: "queued", attempts: 1 });
      expect(row!.lastError).toBeTruthy();
    });
    await runConsumer(mail.messages, 4);
    expect(await mailTo(user.email)).toHaveLength(1);
    const row = await db().select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).get();
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("a message that runs out of retries is marked failed with the reason by the dead-letter consumer", async () => {
    const { user, mail } = await queuedPasswordChangedMail();
    const batch = createMessageBatch("cumulus-email-dlq", [{ id: `dlq-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 6, body: mail.messages[0]! }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    const row = await db().select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).get();
    expect(row).toMatchObject({ status: "failed", lastError: "Gave up after 6 attempts" });
  });

  it("a recipient without an address (no primary contact) yields no email rather than a broken one", async () => {
    const org = await createOrg();
    const prepared = await prepareNotification(domainCtx(), { event: "invoice.issued", orgId: org.id, to: { primaryContactOf: org.id }, tags: {}, idempotencyKey: `x:${org.id}` });
    expect(prepared).toEqual({ statements: [], messages: [] });
  });
});

describe("email delivery when the server drops the connection", () => {
  it("a 421 (server closes the connection) fails the attempt instead of hanging, and the retry delivers", async () => {
    const { user, mail } = await queuedPasswordChangedMail();
    const failed = await withSinkFaults({ rejectNext: 1, rejectCode: 421, match: user.email }, () => runConsumer(mail.messages, 1));
    expect(failed.retryMessages).toHaveLength(1);
    await runConsumer(mail.messages, 2);
    expect(await mailTo(user.email)).toHaveLength(1);
  });

  it("a drop right after DATA (RFC 1047 gap) is retried; the only possible duplicate carries the same Message-ID", async () => {
    const { user, mail } = await queuedPasswordChangedMail();
    const failed = await withSinkFaults({ dropAfterData: 1, match: user.email }, () => runConsumer(mail.messages, 1));
    expect(failed.retryMessages).toHaveLength(1);
    await runConsumer(mail.messages, 2);
    const received = await mailTo(user.email);
    expect(received).toHaveLength(2); // the server kept the first copy although it never said 250
    expect(new Set(received.map((m) => m.messageId)).size).toBe(1);
    const row = await db().select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).get();
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("attachments", () => {
  it("renders attachments at send time from their reference and attaches them", async () => {
    const renderers: AttachmentRenderers = { ...attachmentRenderers, test_note: async (_ctx, ref) => ({ filename: `${ref}.txt`, content: btoa(`note ${ref}`), mimeType: "text/plain" }) };
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const ctx = domainCtx();
    const mail = await prepareNotification(ctx, {
      event: "invoice.resent", orgId: org.id, to: { userId: user.id }, tags: { "invoice.number": "INV-TEST-1" },
      idempotencyKey: `attach:${user.id}`, attachments: [{ kind: "test_note", ref: "n-42" }],
    });
    await atomically(ctx.db, mail.statements);
    await runConsumer(mail.messages, 1, renderers);
    const [msg] = await mailTo(user.email);
    expect(msg!.raw).toMatch(/Content-Disposition: attachment; filename="n-42.txt"/);
    expect(msg!.raw).toContain(btoa("note n-42"));
  });

  it("an attachment kind without a renderer fails the attempt (retried), never sends without it", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const ctx = domainCtx();
    const mail = await prepareNotification(ctx, {
      event: "invoice.resent", orgId: org.id, to: { userId: user.id }, tags: {}, idempotencyKey: `attach-missing:${user.id}`,
      attachments: [{ kind: "nope", ref: "x" }],
    });
    await atomically(ctx.db, mail.statements);
    const result = await runConsumer(mail.messages);
    expect(result.retryMessages).toHaveLength(1);
    expect(await mailTo(user.email)).toHaveLength(0);
  });
});

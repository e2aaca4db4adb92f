/**
 * Pipeline promises under load and outage (reliability.md P18, performance.md target 8):
 * - outage: the SMTP server refuses with 451 for a while, then recovers; every email is delivered, none twice;
 * - throughput: messages per second from queue batch to the SMTP sink on loopback, one connection per batch.
 * The throughput figure is printed as a `BENCH_EMAIL {json}` line (scripts/bench.mjs collects it).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { atomically } from "../../worker/db/atomic";
import { emailOutbox } from "../../worker/db/schema";
import type { DomainContext } from "../../worker/domain/context";
import { prepareNotification } from "../../worker/domain/email/notify";
import { developmentSmtp } from "../../worker/domain/email/smtp-settings";
import { openSmtpSession } from "../../worker/integrations/mailer";
import { systemClock } from "../../worker/integrations/clock";
import { configFor } from "../../worker/middleware/services";
import type { EmailMessage } from "../../worker/queues/messages";
import worker from "../../worker/index";
import { db } from "../factories";
import { setSinkFaults, sinkMessages } from "../mail";

function ctx(): DomainContext {
  const result = configFor(env);
  if (!result.ok) throw new Error("bad test env");
  return { db: db(), clock: systemClock, config: result.config, requestId: "req_test", ip: null, emailQueue: { sendBatch: async () => {} } as unknown as Queue<EmailMessage> };
}

async function queueMany(tag: string, n: number): Promise<{ messages: EmailMessage[]; addresses: string[] }> {
  const c = ctx();
  const messages: EmailMessage[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const prepared = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) => {
        const address = `${tag}-${i + j}@example.test`;
        addresses.push(address);
        return prepareNotification(c, { event: "wallet.credited", orgId: null, to: { address, name: `Reader ${i + j}` }, tags: { "wallet.credit_amount": `€${i + j}.00` }, idempotencyKey: `${tag}:${i + j}` });
      }),
    );
    await atomically(c.db, prepared.flatMap((p) => p.statements));
    messages.push(...prepared.flatMap((p) => p.messages));
  }
  return { messages, addresses };
}

async function consume(messages: EmailMessage[], attempts: number) {
  const batch = createMessageBatch<EmailMessage>("cumulus-email", messages.map((body, i) => ({ id: `p-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })));
  const ec = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ec);
  const result = await getQueueResult(batch, ec);
  const retried = new Set(result.retryMessages.map((m: { msgId: string }) => m.msgId));
  return batch.messages.filter((m) => retried.has(m.id)).map((m) => m.body as EmailMessage);
}

describe("SMTP outage", () => {
  it("the server refuses with 451 for a while, then recovers: every email delivered exactly once", async () => {
    const tag = `outage${crypto.randomUUID().slice(0, 6)}`;
    const { messages, addresses } = await queueMany(tag, 40);
    await setSinkFaults({ rejectForMs: 1500, rejectCode: 451, match: tag });
    let pending = messages;
    let rounds = 0;
    const started = Date.now();
    try {
      while (pending.length && rounds < 30) {
        rounds++;
        pending = await consume(pending, rounds);
        if (pending.length) await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await setSinkFaults({});
    }
    expect(pending).toEqual([]);
    expect(rounds).toBeGreaterThan(1); // the outage really happened
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const received = (await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)));
    const perAddress = new Map<string, number>();
    for (const m of received) for (const t of m.envelope.to) perAddress.set(t, (perAddress.get(t) ?? 0) + 1);
    expect(addresses.every((a) => perAddress.get(a) === 1)).toBe(true);
    expect(received).toHaveLength(40);
    const rows = await db().select().from(emailOutbox).where(inArray(emailOutbox.toAddress, addresses));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    // A redelivery of everything after the fact sends nothing more.
    expect(await consume(messages, 99)).toEqual([]);
    expect((await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)))).toHaveLength(40);
  });
});

describe("throughput", () => {
  it("measures messages/second from queue batch to the SMTP sink (batches of 100, one connection each)", async () => {
    const n = Number((env as unknown as { EMAIL_BENCH_N?: string }).EMAIL_BENCH_N ?? 200);
    const tag = `bench${crypto.randomUUID().slice(0, 6)}`;
    const { messages } = await queueMany(tag, n);
    const started = performance.now();
    for (let i = 0; i < messages.length; i += 100) {
      const left = await consume(messages.slice(i, i + 100), 1);
      expect(left).toEqual([]);
    }
    const elapsedMs = Math.max(1, performance.now() - started);
    const received = (await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)));
    expect(received).toHaveLength(n);
    const perSecond = Math.round((n / elapsedMs) * 1000);
    // The SMTP leg alone: the same number of messages over one worker-mailer connection, no D1, no rendering.
    const session = await openSmtpSession(developmentSmtp(ctx().config)!);
    const smtpStarted = performance.now();
    for (let i = 0; i < n; i++) {
      await session.send({ toAddress: `${tag}-raw-${i}@example.test`, toName: null, subject: "raw", html: "<p>raw</p>", text: "raw", messageId: `<raw-${tag}-${i}@bench>` });
    }
    const smtpMs = Math.max(1, performance.now() - smtpStarted);
    await session.close();
    console.log(`BENCH_EMAIL ${JSON.stringify({ messages: n, batchSize: 100, elapsedMs: Math.round(elapsedMs), messagesPerSecond: perSecond, smtpOnlyMessagesPerSecond: Math.round((n / smtpMs) * 1000), path: "queue batch → consumer (D1 read, render, sanitize, D1 update) → worker-mailer → smtp-server on 127.0.0.1" })}`);
    expect(perSecond).toBeGreaterThan(20);
  }, 120_000);
});

describe("duplicates inside one batch", () => {
  it("the same message twice in one batch is sent once", async () => {
    const tag = `dup${crypto.randomUUID().slice(0, 6)}`;
    const { messages } = await queueMany(tag, 1);
    expect(await consume([messages[0]!, messages[0]!], 1)).toEqual([]);
    expect((await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)))).toHaveLength(1);
  });
});

/**
 * Pipeline promises under load, outage and crash (docs/decisions/014b-email-batches.md; the throughput target is in README.md, Performance):
 * - outage: the SMTP server refuses with 451 for a while, then recovers; every email is delivered, none twice;
 * - crash: a consumer stops dead in the middle of a batch; the redelivered batch sends only what was not sent;
 * - throughput: messages per second from queue batch to the SMTP sink on loopback, over parallel connections.
 * The throughput figure is printed as a `BENCH_EMAIL {json}` line (scripts/bench.mjs collects it).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { atomically } from "../../../worker/db/atomic";
import { emailOutbox } from "../../../worker/db/schema";
import { LEASE_MS, SMTP_CONNECTIONS } from "../../../worker/domain/email/deliver";
import { prepareNotifications } from "../../../worker/domain/email/notify";
import { developmentSmtp } from "../../../worker/domain/email/smtp-settings";
import { openSmtpSession, type MailerSession } from "../../../worker/integrations/mailer";
import { fixedClock, systemClock } from "../../../worker/integrations/clock";
import { handleEmailBatch } from "../../../worker/queues/email";
import type { BatchTrace } from "../../../worker/domain/email/send-batch";
import type { EmailMessage } from "../../../worker/contract/messages";
import worker from "../../../worker/index";
import { testNow } from "../../clock";
import { db } from "../../factories";
import { setSinkFaults, sinkConnections, sinkCpu, sinkMessages, sinkSummary } from "../../mail";
import { testCtx } from "../../context";

const ctx = () => testCtx({ clock: systemClock });

async function queueMany(tag: string, n: number): Promise<{ messages: EmailMessage[]; addresses: string[] }> {
  const c = ctx();
  const messages: EmailMessage[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const list = Array.from({ length: Math.min(500, n - i) }, (_, j) => {
      const address = `${tag}-${i + j}@example.test`;
      addresses.push(address);
      return { event: "wallet.credited" as const, orgId: null, to: { address, name: `Reader ${i + j}` }, tags: { "wallet.credit_amount": `€${i + j}.00` }, idempotencyKey: `${tag}:${i + j}` };
    });
    const prepared = await prepareNotifications(c, list);
    await atomically(c.db, prepared.statements);
    messages.push(...prepared.messages);
  }
  return { messages, addresses };
}

const batchOf = (messages: EmailMessage[], attempts: number) =>
  createMessageBatch<EmailMessage>("cumulus-email", messages.map((body, i) => ({ id: `p-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })));

async function consume(messages: EmailMessage[], attempts: number) {
  const batch = batchOf(messages, attempts);
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
    expect(await sinkSummary(tag)).toEqual({ messages: 40, distinctMessageIds: 40, duplicates: 0, bccHeaders: 0 });
    const rows = await db().select().from(emailOutbox).where(inArray(emailOutbox.toAddress, addresses));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    // A redelivery of everything after the fact sends nothing more.
    expect(await consume(messages, 99)).toEqual([]);
    expect((await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)))).toHaveLength(40);
  });
});

describe("consumer crash mid-batch", () => {
  it("a consumer that dies after some sends: the redelivered batch sends only the rest, none twice", async () => {
    const tag = `crash${crypto.randomUUID().slice(0, 6)}`;
    const { messages } = await queueMany(tag, 60);
    // The first consumer stops dead after 25 sends (its remaining sends never return, as in an evicted isolate).
    let sends = 0;
    const dying = async (settings: Parameters<typeof openSmtpSession>[0]): Promise<MailerSession> => {
      const real = await openSmtpSession(settings);
      return { close: () => real.close(), send: (m) => (++sends <= 25 ? real.send(m) : new Promise<string>(() => {})) };
    };
    void handleEmailBatch(batchOf(messages, 1) as MessageBatch<unknown>, env, createExecutionContext(), { open: dying });
    // What it sent is recorded on the way (SETTLE_EVERY_MS), before it died.
    const sentRows = async () => (await db().select().from(emailOutbox).where(inArray(emailOutbox.idempotencyKey, messages.map((m) => m.idempotencyKey)))).filter((r) => r.status === "sent").length;
    for (let i = 0; i < 100 && (await sentRows()) < 25; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await sentRows()).toBe(25);
    // Redelivered while the dead consumer's claim holds: the 25 are acknowledged, the rest wait for the lease.
    const early = batchOf(messages, 2);
    const ec = createExecutionContext();
    await handleEmailBatch(early as MessageBatch<unknown>, env, ec);
    const earlyResult = await getQueueResult(early, ec);
    expect(earlyResult.explicitAcks).toHaveLength(25);
    expect(earlyResult.retryMessages).toHaveLength(35);
    // After the lease: the rest go out, once.
    const later = batchOf(messages, 3);
    const ec2 = createExecutionContext();
    await handleEmailBatch(later as MessageBatch<unknown>, env, ec2, { clock: fixedClock(testNow() + LEASE_MS + 1000) });
    expect((await getQueueResult(later, ec2)).explicitAcks).toHaveLength(60);
    expect(await sinkSummary(tag)).toEqual({ messages: 60, distinctMessageIds: 60, duplicates: 0, bccHeaders: 0 });
  });
});

/**
 * An SMTP client per invocation that counts its open connections and holds every send until `released`, so
 * invocations can be made to overlap.
 */
function heldOpener(released: Promise<void>) {
  let open = 0;
  let peak = 0;
  const opener = async (settings: Parameters<typeof openSmtpSession>[0]): Promise<MailerSession> => {
    const real = await openSmtpSession(settings);
    peak = Math.max(peak, ++open);
    return {
      send: async (m) => (await released, real.send(m)),
      close: async () => {
        open--;
        await real.close();
      },
    };
  };
  return { opener, peak: () => peak };
}

/** A batch whose retry delays are recorded (getQueueResult reports which messages were retried, not when). */
function delayedBatchOf(messages: EmailMessage[], attempts: number) {
  const batch = batchOf(messages, attempts);
  const delays = new Map<string, number>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options) => (delays.set(m.id, options?.delaySeconds ?? 0), retry(options));
  }
  return Object.assign(batch, { delays });
}

async function outcome(batch: ReturnType<typeof delayedBatchOf>, ec: ExecutionContext) {
  const result = await getQueueResult(batch, ec);
  const key = (id: string) => (batch.messages.find((m) => m.id === id)!.body as EmailMessage).idempotencyKey;
  const retried: Array<{ msgId: string }> = result.retryMessages;
  return { acked: result.explicitAcks.map(key), retried: retried.map((r) => ({ key: key(r.msgId), delaySeconds: batch.delays.get(r.msgId) })) };
}

describe("overlapping invocations (max_concurrency)", () => {
  it("two invocations over overlapping batches and a redelivery while both still send: every email once", async () => {
    const tag = `overlap${crypto.randomUUID().slice(0, 6)}`;
    const { messages } = await queueMany(tag, 90);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const [a, b] = [heldOpener(released), heldOpener(released)];
    // Invocation A has messages 0–59, B 30–89, started together: their claims race for 30–59.
    const batchA = delayedBatchOf(messages.slice(0, 60), 1);
    const batchB = delayedBatchOf(messages.slice(30), 1);
    const [ecA, ecB] = [createExecutionContext(), createExecutionContext()];
    const running = Promise.all([
      handleEmailBatch(batchA as MessageBatch<unknown>, env, ecA, { open: a.opener }),
      handleEmailBatch(batchB as MessageBatch<unknown>, env, ecB, { open: b.opener }),
    ]);
    // While both hold their claims, the queue redelivers all 90 (a retry, a visibility timeout): nothing is sent.
    const redelivered = delayedBatchOf(messages, 2);
    const ecC = createExecutionContext();
    await handleEmailBatch(redelivered as MessageBatch<unknown>, env, ecC);
    const c = await outcome(redelivered, ecC);
    expect(c.acked).toEqual([]);
    expect(c.retried).toHaveLength(90);
    // …each retried when the claim holding it runs out, not before.
    expect(c.retried.every((r) => r.delaySeconds! >= LEASE_MS / 1000 - 5)).toBe(true);
    release();
    await running;
    const [resultA, resultB] = [await outcome(batchA, ecA), await outcome(batchB, ecB)];
    // Each message was sent by exactly one of them; the other left it to the lease (retried, not acked).
    const acked = [...resultA.acked, ...resultB.acked];
    expect(new Set(acked).size).toBe(90);
    expect(acked).toHaveLength(90);
    expect(resultA.retried.length + resultB.retried.length).toBe(30);
    expect([...resultA.retried, ...resultB.retried].every((r) => r.delaySeconds! >= 1)).toBe(true);
    expect(Math.max(a.peak(), b.peak())).toBeLessThanOrEqual(SMTP_CONNECTIONS);
    // After every lease has run out, a late redelivery acknowledges all and sends none.
    const late = delayedBatchOf(messages, 3);
    const ecD = createExecutionContext();
    await handleEmailBatch(late as MessageBatch<unknown>, env, ecD, { clock: fixedClock(testNow() + LEASE_MS + 1000) });
    expect((await outcome(late, ecD)).acked).toHaveLength(90);
    expect(await sinkSummary(tag)).toEqual({ messages: 90, distinctMessageIds: 90, duplicates: 0, bccHeaders: 0 });
  });

  it("four invocations at once over distinct batches: each email once, each over at most SMTP_CONNECTIONS connections", async () => {
    const tag = `fanout${crypto.randomUUID().slice(0, 6)}`;
    const { messages } = await queueMany(tag, 400);
    const peaks: Array<() => number> = [];
    const run = async (batch: EmailMessage[]) => {
      const { opener, peak } = heldOpener(Promise.resolve());
      peaks.push(peak);
      const b = delayedBatchOf(batch, 1);
      const ec = createExecutionContext();
      await handleEmailBatch(b as MessageBatch<unknown>, env, ec, { open: opener });
      return (await outcome(b, ec)).retried.map((r) => messages.find((m) => m.idempotencyKey === r.key)!);
    };
    expect(await consumeConcurrently(messages, 4, run)).toEqual([]);
    expect(peaks).toHaveLength(4);
    expect(peaks.every((p) => p() === SMTP_CONNECTIONS)).toBe(true);
    expect(await sinkSummary(tag)).toEqual({ messages: 400, distinctMessageIds: 400, duplicates: 0, bccHeaders: 0 });
  });
});

/**
 * CPU per message over a run: the workerd thread (consumer, D1, sockets) and the SMTP sink's process. Unlike
 * messages/s it barely moves with the machine's load; `1000 / workerdCpuMsPerMessage` is what one workerd
 * thread could deliver on an idle core (null where /proc is unavailable).
 */
function cpuPerMessage(before: { sinkMs: number; workerdMs: number | null }, after: { sinkMs: number; workerdMs: number | null }, n: number, elapsedMs: number) {
  const workerd = before.workerdMs !== null && after.workerdMs !== null ? (after.workerdMs - before.workerdMs) / n : null;
  return {
    workerdCpuMsPerMessage: workerd === null ? null : Number(workerd.toFixed(3)),
    sinkCpuMsPerMessage: Number(((after.sinkMs - before.sinkMs) / n).toFixed(3)),
    workerdThreadCeilingMessagesPerSecond: workerd ? Math.round(1000 / workerd) : null,
    // The share of the wall clock workerd spent on CPU: below its share of the machine, the rest was waiting.
    workerdBusyShare: workerd === null ? null : Number(((workerd * n) / elapsedMs).toFixed(2)),
  };
}

/** Mean wall clock per occurrence of each phase of a batch (send-batch.ts, BatchTrace), and how often it occurred. */
function phaseRecorder() {
  const sums = new Map<string, { n: number; ms: number }>();
  const trace = (phase: Parameters<BatchTrace>[0] | "batch", ms: number) => {
    const p = sums.get(phase) ?? { n: 0, ms: 0 };
    sums.set(phase, { n: p.n + 1, ms: p.ms + ms });
  };
  const report = () => Object.fromEntries([...sums].map(([k, v]) => [k, { count: v.n, meanMs: Number((v.ms / v.n).toFixed(2)) }]));
  return { trace, report };
}

/**
 * Consumer invocations as Cloudflare Queues makes them: batches of 100, up to `concurrency` in flight at once
 * (the consumer's max_concurrency, wrangler.toml), each through the Worker's queue handler. Returns the retried.
 */
async function consumeConcurrently(messages: EmailMessage[], concurrency: number, run: (batch: EmailMessage[]) => Promise<EmailMessage[]> = (b) => consume(b, 1)) {
  const batches = Array.from({ length: Math.ceil(messages.length / 100) }, (_, i) => messages.slice(i * 100, i * 100 + 100));
  const retried: EmailMessage[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, async () => {
    while (next < batches.length) retried.push(...(await run(batches[next++]!)));
  }));
  return retried;
}

async function measureRun(n: number, concurrency: number) {
  const tag = `bench${crypto.randomUUID().slice(0, 6)}`;
  await setSinkFaults({ countOnly: tag });
  const { messages } = await queueMany(tag, n);
  const connectionsBefore = await sinkConnections(true);
  const cpu = await sinkCpu();
  const started = performance.now();
  expect(await consumeConcurrently(messages, concurrency)).toEqual([]);
  const elapsedMs = Math.max(1, performance.now() - started);
  const cpuAfter = await sinkCpu();
  const connections = await sinkConnections();
  const received = await sinkSummary(tag);
  expect(received).toEqual({ messages: n, distinctMessageIds: n, duplicates: 0, bccHeaders: 0 });
  return {
    messages: n, concurrency, elapsedMs: Math.round(elapsedMs), messagesPerSecond: Math.round((n / elapsedMs) * 1000), duplicates: received.duplicates, bccHeaders: received.bccHeaders,
    smtpConnections: connections.total - connectionsBefore.total, smtpConnectionsPeakOpen: connections.peakOpen, ...cpuPerMessage(cpu, cpuAfter, n, elapsedMs),
  };
}

/** One batch at a time (how the benchmark drove it before max_concurrency), each phase timed. */
async function measureSequentialPhases(n: number) {
  const tag = `bench${crypto.randomUUID().slice(0, 6)}`;
  await setSinkFaults({ countOnly: tag });
  const { messages } = await queueMany(tag, n);
  const { trace, report } = phaseRecorder();
  const cpu = await sinkCpu();
  const started = performance.now();
  const run = async (batch: EmailMessage[]) => {
    const b = batchOf(batch, 1);
    const ec = createExecutionContext();
    const t0 = performance.now();
    await handleEmailBatch(b as MessageBatch<unknown>, env, ec, { trace });
    trace("batch", performance.now() - t0);
    expect((await getQueueResult(b, ec)).retryMessages).toEqual([]);
    return [];
  };
  await consumeConcurrently(messages, 1, run);
  const elapsedMs = Math.max(1, performance.now() - started);
  const { workerdCpuMsPerMessage, workerdBusyShare } = cpuPerMessage(cpu, await sinkCpu(), n, elapsedMs);
  expect(await sinkSummary(tag)).toEqual({ messages: n, distinctMessageIds: n, duplicates: 0, bccHeaders: 0 });
  return { messages: n, concurrency: 1, messagesPerSecond: Math.round((n / elapsedMs) * 1000), workerdCpuMsPerMessage, workerdBusyShare, phases: report() };
}

describe("throughput", () => {
  it("measures messages/second from queue batch to the SMTP sink (batches of 100, max_concurrency in flight, parallel connections)", async () => {
    const vars = env as unknown as { EMAIL_BENCH_N?: string; EMAIL_BENCH_CONCURRENCY?: string };
    const sizes = (vars.EMAIL_BENCH_N ?? "200").split(",").map(Number);
    const concurrency = Number(vars.EMAIL_BENCH_CONCURRENCY ?? "10");
    // Warm-up (not measured): the first batches pay for compiling the consumer's code and the template.
    await measureRun(Math.min(500, sizes[0]!), concurrency);
    const runs = [];
    for (const n of sizes) runs.push(await measureRun(n, concurrency));
    // Where one batch's time goes when it runs alone (the wait that concurrent invocations fill).
    const sequential = await measureSequentialPhases(Math.min(1000, sizes[0]!));
    await setSinkFaults({});
    // The SMTP leg alone, for comparison: one worker-mailer connection, no D1, no rendering.
    const tag = `bench${crypto.randomUUID().slice(0, 6)}`;
    const session = await openSmtpSession(developmentSmtp(ctx().config)!);
    const raw = Math.min(2000, sizes[0]!);
    const smtpCpu = await sinkCpu();
    const smtpStarted = performance.now();
    for (let i = 0; i < raw; i++) {
      await session.send({ toAddress: `${tag}-raw-${i}@example.test`, toName: null, subject: "raw", html: "<p>raw</p>", text: "raw", messageId: `<raw-${tag}-${i}@bench>` });
    }
    const smtpMs = Math.max(1, performance.now() - smtpStarted);
    const smtpOnly = cpuPerMessage(smtpCpu, await sinkCpu(), raw, smtpMs);
    await session.close();
    console.log(`BENCH_EMAIL ${JSON.stringify({
      runs, batchSize: 100, concurrency, connectionsPerInvocation: SMTP_CONNECTIONS, sequential,
      smtpOnlyOneConnectionMessagesPerSecond: Math.round((raw / smtpMs) * 1000),
      smtpOnlyWorkerdCpuMsPerMessage: smtpOnly.workerdCpuMsPerMessage, smtpOnlySinkCpuMsPerMessage: smtpOnly.sinkCpuMsPerMessage,
      path: "queue batches, max_concurrency in flight → consumer (claim in one D1 statement, render, sanitize, parallel SMTP, settle in one statement) → worker-mailer → smtp-server on 127.0.0.1",
    })}`);
    expect(runs.every((r) => r.messagesPerSecond > 20 && r.smtpConnections <= Math.ceil(r.messages / 100) * SMTP_CONNECTIONS)).toBe(true);
  }, 600_000);
});

describe("duplicates inside one batch", () => {
  it("the same message twice in one batch is sent once", async () => {
    const tag = `dup${crypto.randomUUID().slice(0, 6)}`;
    const { messages } = await queueMany(tag, 1);
    expect(await consume([messages[0]!, messages[0]!], 1)).toEqual([]);
    expect((await sinkMessages()).filter((m) => m.envelope.to.some((t) => t.includes(tag)))).toHaveLength(1);
  });
});

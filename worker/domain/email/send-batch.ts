/**
 * Sending a claimed batch (deliver.ts) over parallel SMTP connections. The rows are dealt round-robin to up to
 * SMTP_CONNECTIONS lanes; each lane opens its connection when it has something to send, sends its rows one after
 * another (worker-mailer is lock-step per connection) and, after a failed send, continues on a fresh connection
 * (the failed one may be mid-transaction). A lane that cannot connect fails its remaining rows with the reason.
 *
 * Outcomes go to a Settler, which writes them in one statement at the end of the batch — or on the way, every
 * SETTLE_EVERY_ROWS outcomes or SETTLE_EVERY_MS, whichever comes first — and always before the batch's outcome
 * is reported, even if a lane throws: sends that happened are recorded.
 */
import type { MailerSession, SmtpSettings } from "../../integrations/mailer";
import type { DomainContext } from "../context";
import { SETTLE_EVERY_MS, SETTLE_EVERY_ROWS, SMTP_CONNECTIONS, sendRow, settleOutbox, type ClaimedRow, type Failed, type Sent, type TemplateCache } from "./deliver";
import type { RenderedEmail } from "./render";

export type OpenSession = (settings: SmtpSettings) => Promise<MailerSession>;

/**
 * Where a batch's time goes (the benchmark's seam, test/worker/queues/email-pipeline.test.ts): the claim's round
 * trip, each connection up to its EHLO reply, each message (render, send, the server's 250), each QUIT, the final
 * settle. Wall clock, so it includes waiting for the other lanes' CPU.
 */
export type BatchTrace = (phase: "claim" | "connect" | "message" | "quit" | "settle", ms: number) => void;

/** What every lane of a batch shares. */
interface Lanes {
  settings: SmtpSettings;
  templates: TemplateCache;
  open: OpenSession;
  settler: Settler;
  trace: BatchTrace | undefined;
}

/** Runs `fn` and reports its wall clock as `phase` when tracing. */
export async function timed<T>(trace: BatchTrace | undefined, phase: Parameters<BatchTrace>[0], fn: () => Promise<T>): Promise<T> {
  if (!trace) return fn();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    trace(phase, performance.now() - started);
  }
}

type Ctx = Pick<DomainContext, "db" | "clock" | "config" | "fonts" | "renderers">;

class Settler {
  readonly sent: Sent[] = [];
  readonly failed: Failed[] = [];
  private pending: { sent: Sent[]; failed: Failed[] } = { sent: [], failed: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Ctx) {}

  add(outcome: { sent?: Sent; failed?: Failed }) {
    if (outcome.sent) {
      this.sent.push(outcome.sent);
      this.pending.sent.push(outcome.sent);
    }
    if (outcome.failed) {
      this.failed.push(outcome.failed);
      this.pending.failed.push(outcome.failed);
    }
    if (this.pending.sent.length + this.pending.failed.length >= SETTLE_EVERY_ROWS) void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), SETTLE_EVERY_MS);
  }

  /** Writes what is pending; a failed write puts it back for the next flush. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = { sent: [], failed: [] };
    // Writes run one after another; an earlier failure does not stop the next attempt.
    this.chain = this.chain.catch(() => {}).then(async () => {
      if (!batch.sent.length && !batch.failed.length) return;
      try {
        await settleOutbox(this.ctx, batch.sent, batch.failed);
      } catch (err) {
        this.pending.sent.unshift(...batch.sent);
        this.pending.failed.unshift(...batch.failed);
        throw err;
      }
    });
    return this.chain;
  }

  /** The final write, tried twice: until it succeeds nothing is acknowledged. */
  async close(): Promise<void> {
    await this.flush().catch(() => this.flush());
  }
}

function failure(row: ClaimedRow, err: unknown): Failed {
  const rendered = (err as { rendered?: RenderedEmail }).rendered ?? null;
  return { id: row.id, key: row.idempotencyKey, reason: err instanceof Error ? err.message : String(err), rendered };
}

async function runLane(ctx: Ctx, rows: ClaimedRow[], lane: Lanes) {
  const { settings, open, settler, trace } = lane;
  let session: MailerSession | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!session) {
      try {
        session = await timed(trace, "connect", () => open(settings));
      } catch (err) {
        const reason = `SMTP connection failed: ${err instanceof Error ? err.message : String(err)}`;
        for (const r of rows.slice(i)) settler.add({ failed: failure(r, new Error(reason)) });
        return;
      }
    }
    const current: MailerSession = session;
    try {
      settler.add({ sent: await timed(trace, "message", () => sendRow(ctx, current, settings, row, lane.templates)) });
    } catch (err) {
      settler.add({ failed: failure(row, err) });
      await current.close();
      session = null;
    }
  }
  if (session) await timed(trace, "quit", () => session.close());
}

/**
 * Sends the claimed rows; returns once every outcome is written to D1 (or throws if that write failed twice).
 * At most SMTP_CONNECTIONS connections are open at once: one per lane, a failed one closed before the next.
 */
export async function sendClaimed(ctx: Ctx, rows: ClaimedRow[], settings: SmtpSettings, templates: TemplateCache, open: OpenSession, trace?: BatchTrace): Promise<{ sent: Sent[]; failed: Failed[] }> {
  const settler = new Settler(ctx);
  const lanes: ClaimedRow[][] = Array.from({ length: Math.min(SMTP_CONNECTIONS, rows.length) }, () => []);
  rows.forEach((row, i) => lanes[i % lanes.length]!.push(row));
  try {
    await Promise.all(lanes.map((rowsOfLane) => runLane(ctx, rowsOfLane, { settings, templates, open, settler, trace })));
  } finally {
    await timed(trace, "settle", () => settler.close());
  }
  return { sent: settler.sent, failed: settler.failed };
}

/** Nothing can be sent (no or unusable SMTP settings): every claimed row records why, and is retried. */
export async function failClaimed(ctx: Ctx, rows: ClaimedRow[], reason: string): Promise<Failed[]> {
  const failed = rows.map((r) => failure(r, new Error(reason)));
  await settleOutbox(ctx, [], failed);
  return failed;
}

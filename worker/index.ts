/**
 * Worker entry: HTTP (API + portal), queue consumers (email, billing, dead letters) and the cron trigger.
 */
import { expireFreeCredit } from "./domain/wallet/expire-free-credit";
import { createApp } from "./app";
import { purgeSessions } from "./domain/sessions/store";
import { purgeThrottle } from "./domain/auth/throttle";
import { purgeMfaAttempts } from "./domain/mfa/internal";
import { purgeChallenges } from "./domain/passkeys/internal";
import { handleEmailBatch, handleDeadLetterBatch } from "./queues/email";
import { staleQueuedOutbox } from "./domain/email/deliver";
import { dispatchEmails } from "./domain/email/notify";
import { failRunsOf, handleBillingBatch } from "./queues/billing";
import { handlePaymentsBatch } from "./queues/payments";
import { handleCollectBatch } from "./queues/collect";
import { collectDue } from "./domain/collection/retry-due";
import { cronBilling } from "./domain/billing/run";
import { sendCardExpiryNotices } from "./domain/payments/card-expiry-notices";
import { queuesOf, systemCtx } from "./domain/context";
import { purgeCardAttempts } from "./domain/payments/card-attempts";
import { replayPaymentEvents } from "./domain/payments/replay-events";
import { sweepHostedPayments } from "./domain/hosted-pay/sweep";
import { sweepPendingPayAll } from "./domain/self-pay/pay-all-reconcile";
import { syncDevClock } from "./domain/dev-clock/sync";
import { createDb } from "./db/client";
import { configFor } from "./env";

export { OrgBilling } from "./durable/org-billing";
import { dunningPort } from "./durable/org-billing";
import { dunningSweep } from "./domain/dunning/sweep";
import { DUNNING_CRON } from "./contract/dunning";

const app = createApp();

/** The development clock's offset for a queue batch (nothing is read unless DEV_CLOCK=true outside production). */
async function syncDevClockOf(env: Env): Promise<void> {
  const config = configFor(env);
  if (config.ok) await syncDevClock(createDb(env.DB), config.config);
}

export default {
  fetch: app.fetch,

  /** One consumer per queue of wrangler.toml; a batch from any other queue is logged and left to retry. */
  async queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
    await syncDevClockOf(env);
    switch (batch.queue) {
      case "cumulus-email":
        return handleEmailBatch(batch, env, ctx);
      case "cumulus-billing":
        return handleBillingBatch(batch, env);
      case "cumulus-payments":
        return handlePaymentsBatch(batch, env);
      case "cumulus-collect":
        return handleCollectBatch(batch, env);
      case "cumulus-collect-dlq":
      case "cumulus-payments-dlq":
      case "cumulus-email-dlq":
        return handleDeadLetterBatch(batch, env, ctx);
      case "cumulus-billing-dlq":
        await failRunsOf(batch, env);
        return handleDeadLetterBatch(batch, env, ctx);
      default:
        console.error(`[cumulus] no consumer for queue "${batch.queue}": ${batch.messages.length} message(s) retried`);
        batch.retryAll();
    }
  },

  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const deps = systemCtx(env);
    await syncDevClock(deps.db, deps.config);
    // Independent jobs: one failing must not stop the others; the invocation still reports the failure.
    const jobs: Array<[string, () => Promise<unknown>]> = [
      ["purge sessions", () => purgeSessions(deps)],
      ["purge sign-in throttle", () => purgeThrottle(deps)],
      ["purge passkey challenges", () => purgeChallenges(deps)],
      ["purge second-factor attempts", () => purgeMfaAttempts(deps)],
      ["expire free credit", () => expireFreeCredit(deps)],
      // "Card expiring" emails, once per card and expiry (docs/decisions/019b-card-health-and-self-pay.md).
      ["card expiry notices", () => sendCardExpiryNotices(deps)],
      ["purge card attempts", () => purgeCardAttempts(deps)],
      // Webhook inbox: events whose queue message was lost are enqueued again (applying is idempotent).
      ["replay payment events", () => replayPaymentEvents(deps, queuesOf(env).payments)],
      // Outbox relay: re-enqueue emails whose queue message was lost after their batch committed.
      ["email outbox relay", async () => {
        const stale = await staleQueuedOutbox(deps, 10 * 60_000);
        await dispatchEmails(deps, stale.map((r) => ({ type: "email.send", outboxId: r.id, idempotencyKey: r.idempotencyKey })));
      }],
      // Billing: today's run (once a day) and the resumption of runs whose pages stopped.
      // Dunning: organizations newly overdue enter it; cases whose alarm ran out of retries are woken.
      ["dunning sweep", () => dunningSweep({ ...deps, dunning: dunningPort(env.ORG_BILLING) })],
      ["billing run", () => cronBilling(deps)],
      // Collection: scheduled retries of declined invoices, attempts left without an answer, missed messages.
      ["collection retries", () => collectDue(deps)],
      // Pay by redirect: payments still pending at the gateway are asked about (a lost callback, a payer who left).
      ["hosted payments sweep", () => sweepHostedPayments(deps)],
      // Pay all: a charge left without an answer is replayed with its own key (the customer may never come back).
      ["pay all sweep", () => sweepPendingPayAll(deps)],
    ];
    // The dunning-only trigger (wrangler.toml) wakes late cases between the 15-minute runs and runs nothing else,
    // which is also how the E2E suite steps dunning without starting a billing run (test/e2e/dunning.test.ts).
    const selected = controller.cron === DUNNING_CRON ? jobs.filter(([name]) => name === "dunning sweep") : jobs;
    const failed: string[] = [];
    for (const [name, job] of selected) {
      try {
        await job();
      } catch (err) {
        failed.push(name);
        console.error(`[cumulus] cron job "${name}" failed:`, err);
      }
    }
    if (failed.length) throw new Error(`cron jobs failed: ${failed.join(", ")}`);
  },
} satisfies ExportedHandler<Env>;

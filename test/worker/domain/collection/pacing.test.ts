/**
 * Pacing (docs/decisions/019-collection.md, "Pacing"): the collect consumer's charges against the local Stripe
 * rate-limited like Stripe (it answers 429 above `perSecond` requests/s for the key this test uses). With the limit
 * at Stripe's 25/s the pacer holds ≈ 20 charges/s and meets no 429; with a limit below the pacer's rate the 429s
 * are absorbed by backoff and replays of the same key. Either way: every invoice paid, each exactly once, and no
 * 429 left unhandled (an invoice the consumer gave back is charged by the queue's retry, as production does).
 * PACING_N invoices per limit (vitest.config.ts; `npm run bench` runs more, bench/pacing.bench.mjs) and one
 * `BENCH_PACING` line with the figures.
 */
import { env } from "cloudflare:workers";
import { afterEach, expect, it } from "vitest";
import { autoPayments } from "../../../../worker/db/schema";
import { collectInvoices } from "../../../../worker/domain/collection/collect";
import { COLLECT_RATE_PER_SECOND, Pacer } from "../../../../worker/domain/collection/pacer";
import { testNow } from "../../../clock";
import { cardOnFile, gatewayCharges, invoiceRow, issuedInvoice, payer } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { createOrg, createUser, db } from "../../../factories";
import { control } from "../../../local-stripe";
import { PACING_SECRET_KEY } from "../../../fakes/stripe/keys";
import { enableStripe } from "../../routes/payment-helpers";

const N = Number((env as unknown as { PACING_N?: string }).PACING_N || 12);
/** A key of its own, so the limit meets only this test. */
const KEY = PACING_SECRET_KEY;

afterEach(async () => void (await control("/__control/rate_limit", {})));

async function run(limitPerSecond: number, burst: number) {
  const operator = await createOrg({ kind: "operator" });
  await enableStripe((await createUser({ orgId: operator.id, role: "cloud_admin" })).id, { secretKey: KEY });
  const orgs = await Promise.all(Array.from({ length: 4 }, async () => {
    const p = await payer();
    const card = await cardOnFile(p.org.id, "4242424242424242");
    await db().insert(autoPayments).values({ orgId: p.org.id, enabled: true, paymentMethodId: card.id, updatedAt: testNow() - 60_000 });
    return p.org.id;
  }));
  const ids: string[] = [];
  for (let i = 0; i < N; i++) ids.push(await issuedInvoice(orgs[i % orgs.length]!, 1_000 + i));
  await control("/__control/rate_limit", { perSecond: limitPerSecond, burst, key: KEY });
  const pacer = new Pacer();
  let pending = ids;
  let rateLimited = 0;
  let givenBack = 0;
  let rounds = 0;
  const started = performance.now();
  // One consumer, messages of the invoices still due (the queue's retry of what the consumer gave back).
  while (pending.length && rounds < 20) {
    rounds++;
    const s = await collectInvoices({ ctx: testCtx(), input: { invoiceIds: pending, initiatedBy: "auto" }, pacer });
    rateLimited += s.rateLimited;
    givenBack += s.deferred.length;
    expect(s.skipped).toEqual([]);
    pending = s.deferred;
  }
  const seconds = (performance.now() - started) / 1000;
  const limiter = await control<{ limited: number; allowed: number }>("/__control/rate_limit");
  const unpaid = (await Promise.all(ids.map(invoiceRow))).filter((r) => r.status !== "paid").length;
  const perInvoice = new Map<string, number>();
  for (const org of orgs) for (const pi of await gatewayCharges(org)) if (pi.status === "succeeded") perInvoice.set(pi.metadata.invoice_id!, (perInvoice.get(pi.metadata.invoice_id!) ?? 0) + 1);
  const doubleCharges = [...perInvoice.values()].filter((n) => n > 1).length;
  return {
    limitPerSecond, pacerPerSecond: COLLECT_RATE_PER_SECOND, invoices: N, seconds: Number(seconds.toFixed(2)), chargesPerSecond: Number((N / seconds).toFixed(1)),
    gateway429s: limiter.limited, rateLimitedSeenByConsumer: rateLimited, givenBackToQueue: givenBack, queueRounds: rounds, unhandled429s: unpaid, doubleCharges,
    charged: [...perInvoice.values()].reduce((a, b) => a + b, 0),
  };
}

const figures: Record<string, unknown> = {};
const timeout = N > 100 ? 600_000 : undefined;

it(`${N} Auto Payment charges against Stripe's limit (25/s): the pacer holds it, no 429, each invoice charged once`, async () => {
  const r = await run(25, 25);
  figures.atStripeLimit = r;
  expect(r, JSON.stringify(r)).toMatchObject({ unhandled429s: 0, doubleCharges: 0, charged: N, gateway429s: 0 });
  // Never faster than the pacer allows (its burst aside).
  expect(r.chargesPerSecond).toBeLessThanOrEqual(COLLECT_RATE_PER_SECOND * 1.5);
}, timeout);

it(`${N} charges against a gateway far below the pacer's rate (2/s): every 429 absorbed by backoff and replay, each invoice charged once`, async () => {
  const r = await run(2, 1);
  figures.belowPacer = r;
  console.log(`BENCH_PACING ${JSON.stringify(figures)}`);
  expect(r, JSON.stringify(r)).toMatchObject({ unhandled429s: 0, doubleCharges: 0, charged: N });
  expect(r.gateway429s).toBeGreaterThan(0);
  expect(r.rateLimitedSeenByConsumer).toBeGreaterThan(0);
}, timeout);

/**
 * The fault-injection harness (docs/decisions/019-collection.md, "Proof"): organizations with cards on file, a
 * seeded plan of charge attempts through the real verbs — Auto Payment (the collect consumer's `collectInvoices`),
 * Capture Payment, Pay now, Pay all — against the local Stripe answering with seeded random latency, 500s, 429s
 * and commit-then-drop (`POST /__control/chaos`, test/fakes/stripe/faults.ts) on a key of its own. Then the faults
 * stop, every attempt left without an answer is retried the way production retries it (the next run of the same
 * verb replays its key), and `audit` compares our rows with the gateway's record.
 *
 * The seed fixes the plan (organizations, cards, amounts, verbs, order per lane) and, through the idempotency keys
 * (made of ids derived from the seed), the faults each request meets; the lanes run concurrently.
 */
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { atomically } from "../worker/db/atomic";
import { autoPayments, invoices, organizations, paymentCustomers, payments } from "../worker/db/schema";
import { DomainError } from "../worker/errors";
import { capturePayment, previewCapture } from "../worker/domain/collection/capture";
import { collectInvoices } from "../worker/domain/collection/collect";
import { Pacer, type PacerClock } from "../worker/domain/collection/pacer";
import type { ActorContext, Principal } from "../worker/domain/context";
import { postingStatements } from "../worker/domain/ledger/post";
import { payInvoice } from "../worker/domain/self-pay/pay-invoice";
import { payAll, previewPayAll } from "../worker/domain/self-pay/pay-all";
import { fixedClock } from "../worker/integrations/clock";
import { monthStart, testNow, today } from "./clock";
import { cardOnFile, topUp } from "./collection-fixtures";
import { testCtx } from "./context";
import { createOrg, createUser, db } from "./factories";
import { control, stripeClient } from "./local-stripe";
import { FAULTS_SECRET_KEY } from "./fakes/stripe/keys";
import { prng } from "./prng";
import { enableStripe } from "./worker/routes/payment-helpers";

const CARDS = { good: "4242424242424242", declines: "4000000000000341", asks3ds: "4000002760003184" } as const;
type Verb = "auto" | "capture" | "payNow" | "payAll";

interface Payer {
  orgId: string;
  auto: boolean;
  customer: Principal;
  unpaid: string[];
}

export interface World {
  tag: string;
  seed: number;
  staff: Principal;
  payers: Payer[];
  issued: string[];
  invoiceSeq: number;
}

const principal = (userId: string, orgId: string, orgKind: Principal["orgKind"], role: Principal["role"]): Principal => ({
  userId, email: `${userId}@example.test`, firstName: "Fault", lastName: "Injection", role, privileges: ["billing.read", "billing.write"] as Principal["privileges"], orgId, orgKind, orgName: orgId,
});

/** Stripe on with the faults key, and `orgs` payers: 40 % on Auto Payment; cards mostly good, some declining, some asking for 3-D Secure. */
export async function buildWorld(seed: number, orgs: number): Promise<World> {
  const r = prng(seed); // the plan is a function of the seed alone
  // Ids carry a tag unique to this run (the local Stripe outlives it); the fake leaves the tag out of its dice.
  const tag = `fi${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const operator = await createOrg({ kind: "operator" });
  const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
  await enableStripe(admin.id, { secretKey: FAULTS_SECRET_KEY });
  const payers: Payer[] = [];
  for (let i = 0; i < orgs; i++) {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    await db().update(organizations).set({ primaryUserId: user.id }).where(eq(organizations.id, org.id));
    const roll = r();
    const card = await cardOnFile(org.id, roll < 0.8 ? CARDS.good : roll < 0.9 ? CARDS.declines : CARDS.asks3ds);
    const auto = r() < 0.4;
    if (auto) await db().insert(autoPayments).values({ orgId: org.id, enabled: true, paymentMethodId: card.id, updatedAt: testNow() - 60_000 });
    if (r() < 0.2) await topUp(org.id, 100 * Math.floor(1 + r() * 50));
    payers.push({ orgId: org.id, auto, customer: principal(user.id, org.id, "customer", "customer"), unpaid: [] });
  }
  return { tag, seed, staff: principal(admin.id, operator.id, "operator", "cloud_admin"), payers, issued: [], invoiceSeq: 0 };
}

/** An issued, unpaid invoice with its `invoice_issued` posting; its id (and so its attempts' keys) from the plan. */
async function issue(w: World, p: Payer, totalMinor: number): Promise<string> {
  const n = ++w.invoiceSeq;
  const id = `inv_${w.tag}_${n}`;
  const now = testNow();
  await db().insert(invoices).values({
    id, orgId: p.orgId, kind: "manual", number: `FI-${w.tag}-${n}`, series: "FI", status: "unpaid", issueDate: today(0), dueDate: today(14),
    periodFrom: monthStart(-1, now), periodTo: monthStart(0, now), currency: "EUR", precision: 2, subtotalMinor: totalMinor, taxMinor: 0, totalMinor, createdAt: now, updatedAt: now, issuedAt: now,
  });
  await atomically(db(), postingStatements({ clock: fixedClock(now) }, {
    orgId: p.orgId, kind: "invoice_issued", direction: "none", amountMinor: totalMinor, currency: "EUR", invoiceId: id, idempotencyKey: `invoice_issued:${id}`,
    entries: [{ account: "receivable", amountMinor: totalMinor }, { account: "revenue", amountMinor: -totalMinor }],
  }).statements);
  w.issued.push(id);
  p.unpaid.push(id);
  return id;
}

/** A pacer whose clock only moves when it sleeps: the collect consumer's backoff without waiting for real. */
function virtualPacer(): Pacer {
  let t = 0;
  const clock: PacerClock = { now: () => t, sleep: async (ms) => void (t += ms) };
  return new Pacer(20, clock, 1);
}

const actor = (who: Principal): ActorContext => testCtx({ principal: who }) as ActorContext;

/** One verb call; what it ended with (a status, or the error's code). Errors that are not ours are bugs: rethrown. */
export async function attempt(w: World, p: Payer, verb: Verb, invoiceId: string | undefined): Promise<string> {
  try {
    if (verb === "auto") {
      const s = await collectInvoices({ ctx: testCtx(), input: { invoiceIds: invoiceId ? [invoiceId] : p.unpaid.slice(-5), initiatedBy: "auto" }, pacer: virtualPacer() });
      return s.deferred.length ? "deferred" : s.skipped[0]?.code ?? (Object.entries(s.charged).find(([, n]) => n > 0)?.[0] ?? "nothing");
    }
    if (verb === "payAll") {
      const ctx = actor(p.customer);
      const preview = await previewPayAll({ ctx });
      return (await payAll({ ctx, input: { expectedTotalMinor: preview.totalMinor } })).status;
    }
    if (!invoiceId) return "nothing";
    if (verb === "capture") {
      const ctx = actor(w.staff);
      const preview = await previewCapture({ ctx, id: invoiceId });
      return (await capturePayment({ ctx, id: invoiceId, input: { expectedAmountMinor: preview.dueMinor } })).status;
    }
    return (await payInvoice({ ctx: actor(p.customer), invoiceId, input: {} })).status;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

/** One lane's share of the plan: each step issues an invoice (or not) and makes one charge attempt. */
export async function runLane(w: World, lane: number, lanes: number, steps: number, outcomes: Map<string, number>): Promise<void> {
  const r = prng(w.seed * 31 + lane + 1);
  const mine = w.payers.filter((_, i) => i % lanes === lane);
  for (let s = 0; s < steps; s++) {
    const p = mine[Math.floor(r() * mine.length)]!;
    const fresh = p.unpaid.length === 0 || (p.unpaid.length < 8 && r() < 0.6);
    const invoiceId = fresh ? await issue(w, p, 100 * Math.floor(1 + r() * 400) + Math.floor(r() * 100)) : p.unpaid[Math.floor(r() * p.unpaid.length)];
    const roll = r();
    const verb: Verb = p.auto ? (roll < 0.8 ? "auto" : roll < 0.9 ? "payNow" : "payAll") : roll < 0.35 ? "capture" : roll < 0.7 ? "payNow" : "payAll";
    const out = await attempt(w, p, verb, invoiceId);
    outcomes.set(`${verb}:${out}`, (outcomes.get(`${verb}:${out}`) ?? 0) + 1);
    await refreshUnpaid(p);
  }
}

async function refreshUnpaid(p: Payer): Promise<void> {
  const rows = await db().select({ id: invoices.id }).from(invoices).where(and(eq(invoices.orgId, p.orgId), eq(invoices.status, "unpaid")));
  const open = new Set(rows.map((r) => r.id));
  p.unpaid = p.unpaid.filter((id) => open.has(id));
}

export const chaosOn = (w: World, rates: { p500: number; p429: number; pDropAfterCommit: number; maxLatencyMs: number }) =>
  control("/__control/chaos", { key: FAULTS_SECRET_KEY, seed: w.seed, strip: w.tag, ...rates });
export const chaosOff = () => control<{ injected: Record<string, number> | null }>("/__control/chaos", { key: FAULTS_SECRET_KEY, off: true });

/**
 * With the gateway answering again, every attempt left pending is retried the way production does (the same verb
 * replays its key first), then each still-unpaid invoice gets one last automatic or captured attempt.
 */
export async function settleUp(w: World): Promise<void> {
  for (const p of w.payers) {
    const pending = await db().select().from(payments).where(and(eq(payments.orgId, p.orgId), eq(payments.status, "pending")));
    for (const row of pending) {
      const inv = row.idempotencyKey.startsWith("pi:") ? row.idempotencyKey.split(":")[1] : undefined;
      await attempt(w, p, inv ? (p.auto ? "auto" : "payNow") : "payAll", inv);
    }
    await refreshUnpaid(p);
    for (const inv of [...p.unpaid]) await attempt(w, p, p.auto ? "auto" : "capture", inv);
    await refreshUnpaid(p);
  }
}

export interface Audit {
  attempts: number;
  invoices: number;
  paid: number;
  unpaidWithReason: number;
  doubleCharges: string[];
  mismatches: string[];
  capturedMinor: number;
  ledgerCardMinor: number;
}

/** The gateway's record: succeeded PaymentIntents per organization (read with the default key: no faults). */
async function gatewayRecord(orgId: string) {
  const cus = await db().select().from(paymentCustomers).where(eq(paymentCustomers.orgId, orgId)).get();
  if (!cus) return [];
  const all = await stripeClient().paymentIntents.list({ customer: cus.gatewayCustomerId, limit: 100 }).autoPagingToArray({ limit: 10_000 });
  return all.filter((pi) => pi.status === "succeeded");
}

async function ledgerCard(orgId: string): Promise<{ cash: number; surplus: number }> {
  const rows = await db().all<{ account: string; total: number }>(sql`SELECT e.account, SUM(e.amount_minor) AS total FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
    WHERE t.org_id = ${orgId} AND t.kind = 'card_payment' AND e.account IN ('cash', 'wallet_paid') GROUP BY e.account`);
  const of = (a: string) => Number(rows.find((r) => r.account === a)?.total ?? 0);
  return { cash: of("cash"), surplus: -of("wallet_paid") };
}

/** Why an unpaid invoice is unpaid, from our rows: a closed attempt with a code, a closed Pay all, or a blocked card. */
async function reasonUnpaid(orgId: string, invoiceId: string): Promise<string | null> {
  const own = await db().select().from(payments).where(and(eq(payments.orgId, orgId), inArray(payments.status, ["failed", "requires_action"]), like(payments.idempotencyKey, `pi:${invoiceId}:%`)));
  const all = await db().select().from(payments).where(and(eq(payments.orgId, orgId), inArray(payments.status, ["failed", "requires_action"]), like(payments.idempotencyKey, "pa:%")));
  const closed = [...own, ...all].find((r) => r.declineCode);
  if (closed) return closed.declineCode;
  const blocked = await db().all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM card_declines d JOIN payment_methods m ON m.fingerprint = d.fingerprint WHERE m.org_id = ${orgId} AND d.blocked_at IS NOT NULL`);
  return Number(blocked[0]?.n ?? 0) > 0 ? "card blocked" : null;
}

export async function audit(w: World, attempts: number): Promise<Audit> {
  const a: Audit = { attempts, invoices: w.issued.length, paid: 0, unpaidWithReason: 0, doubleCharges: [], mismatches: [], capturedMinor: 0, ledgerCardMinor: 0 };
  for (const p of w.payers) {
    const captured = await gatewayRecord(p.orgId);
    const perInvoice = new Map<string, number>();
    for (const pi of captured) if (pi.metadata.invoice_id) perInvoice.set(pi.metadata.invoice_id, (perInvoice.get(pi.metadata.invoice_id) ?? 0) + 1);
    for (const [inv, n] of perInvoice) if (n > 1) a.doubleCharges.push(`${inv}: ${n} succeeded charges at the gateway`);
    const capturedMinor = captured.reduce((s, pi) => s + pi.amount_received, 0);
    const ledger = await ledgerCard(p.orgId);
    if (ledger.surplus !== 0) a.doubleCharges.push(`${p.orgId}: ${ledger.surplus} of card money taken beyond what was due (landed as wallet credit)`);
    if (ledger.cash !== capturedMinor) a.mismatches.push(`${p.orgId}: ledger card money ${ledger.cash} ≠ captured at the gateway ${capturedMinor}`);
    // Money the gateway took that our books do not show: a charge made next to another (a fresh key instead of a replay).
    if (capturedMinor > ledger.cash) a.doubleCharges.push(`${p.orgId}: ${capturedMinor - ledger.cash} captured at the gateway beyond the ledger's card money`);
    a.capturedMinor += capturedMinor;
    a.ledgerCardMinor += ledger.cash;
    const stuck = await db().select({ id: payments.id, key: payments.idempotencyKey }).from(payments).where(and(eq(payments.orgId, p.orgId), eq(payments.status, "pending")));
    for (const s of stuck) a.mismatches.push(`${s.key}: still pending after the faults stopped`);
  }
  await auditInvoices(w, a);
  return a;
}

async function auditInvoices(w: World, a: Audit): Promise<void> {
  for (const id of w.issued) {
    const inv = (await db().select().from(invoices).where(eq(invoices.id, id)).get())!;
    const alloc = await db().all<{ total: number }>(sql`SELECT COALESCE(SUM(a.amount_minor), 0) AS total FROM payment_allocations a JOIN payments p ON p.id = a.payment_id WHERE a.invoice_id = ${id} AND p.status = 'succeeded'`);
    const allocated = Number(alloc[0]?.total ?? 0);
    if (allocated !== inv.amountPaidMinor) a.mismatches.push(`${id}: allocations ${allocated} ≠ amount paid ${inv.amountPaidMinor}`);
    if (inv.status === "paid") {
      if (inv.amountPaidMinor !== inv.totalMinor) a.mismatches.push(`${id}: paid with ${inv.amountPaidMinor} of ${inv.totalMinor}`);
      a.paid++;
    } else if (await reasonUnpaid(inv.orgId, id)) a.unpaidWithReason++;
    else a.mismatches.push(`${id}: ${inv.status} without a recorded reason`);
  }
}

/** The self-test's planted fault: a second charge of an invoice at the gateway, with its key but not through us. */
export async function plantDoubleCharge(w: World): Promise<string> {
  const row = (await db().select().from(payments).where(and(eq(payments.status, "succeeded"), like(payments.idempotencyKey, `pi:inv_${w.tag}_%`))).limit(1).get())!;
  const cus = (await db().select().from(paymentCustomers).where(eq(paymentCustomers.orgId, row.orgId)).get())!;
  const pm = (await db().all<{ g: string }>(sql`SELECT gateway_payment_method_id AS g FROM payment_methods WHERE id = ${row.paymentMethodId}`))[0]!.g;
  const invoiceId = row.idempotencyKey.split(":")[1]!;
  await stripeClient().paymentIntents.create({ amount: row.amountMinor, currency: "eur", customer: cus.gatewayCustomerId, payment_method: pm, confirm: true, off_session: true, metadata: { org_id: row.orgId, invoice_id: invoiceId } });
  return invoiceId;
}

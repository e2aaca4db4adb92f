/**
 * The billing engine inside workerd: periods (fixed in advance, usage in arrears, trials), taxes frozen per
 * rule, exactly one invoice per subscription and period under concurrent runs, gapless numbering, the ledger
 * posting, the invoice.issued email with the PDF, immutability, and tax rule changes never reaching issued
 * invoices.
 *
 * Subscriptions here are anchored four years after the suite's "today" (test/clock.ts) and billed "as of" that
 * year: a run another test file starts for the current date (the pool's database is shared) can never find them due.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../../worker/index";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { billingRuns, organizations, invoiceLines, invoices, invoiceTaxes, ledgerEntries, ledgerTransactions, resourceSubscriptions, taxRules, taxRuleVersions } from "../../../../worker/db/schema";
import { createBillingRun, cronBilling, processBillingPage, runBillingInline } from "../../../../worker/domain/billing/run";
import { getBillingSettings } from "../../../../worker/domain/billing/settings";
import { updateBillingSettings } from "../../../../worker/domain/billing/update-settings";
import type { BillingMessage } from "../../../../worker/contract/messages";
import { issueInvoice } from "../../../../worker/domain/billing/issue";
import { addMonths, periodAt, periodIndexOf } from "../../../../worker/domain/billing/dates";
import { loadInvoice } from "../../../../worker/domain/invoices/read";
import { addUsage, billedCustomer, billingCtx, createProduct, deliver, taxRule, uniqueCountry } from "../../../billing-fixtures";
import { createOrg, createUser, db } from "../../../factories";
import { mailTo } from "../../../mail";
import { testNow, yearOf } from "../../../clock";
import { auditRows } from "../../../helpers";

/** A year no run for "today" reaches. */
const Y = yearOf() + 4;

// Delivering an invoice email renders its PDF; the first render in an isolate loads pdf-lib and fontkit
// (seconds in the test pool on a busy machine, milliseconds afterwards).
vi.setConfig({ testTimeout: 30_000 });

async function invoicesOf(subId: string) {
  return db().select().from(invoices).where(eq(invoices.subscriptionId, subId)).orderBy(invoices.periodFrom);
}

async function runOnce(asOf: string, pageSize = 25) {
  const ctx = billingCtx();
  const run = await createBillingRun(ctx, { trigger: "manual", asOf });
  await runBillingInline(ctx, run.id, pageSize);
  return { ctx, run };
}

describe("billing periods", () => {
  it("repeats from the anchor by whole months, clamping to month ends without drift", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-01-31", 2)).toBe("2026-03-31");
    expect(periodAt("2026-01-31", "month", 1)).toEqual({ start: "2026-02-28", end: "2026-03-31" });
    expect(periodAt("2026-03-01", "quarter", 3)).toEqual({ start: "2026-12-01", end: "2027-03-01" });
    expect(periodAt("2024-02-29", "year", 1)).toEqual({ start: "2025-02-28", end: "2026-02-28" });
    expect(periodIndexOf("2026-01-15", "month", "2026-03-15")).toBe(2);
    expect(periodIndexOf("2026-01-31", "month", "2026-03-31")).toBe(2);
  });
});

describe("billing run", () => {
  it("bills a tax-exempt organization without tax, freezing the reason and both parties on each invoice", async () => {
    const country = uniqueCountry();
    await taxRule(country, 200_000, { name: "VAT" });
    const vm = await createProduct({ price: [4900, 2], name: "VM" });
    const taxed = await billedCustomer({ country, productIds: [vm.id], anchor: `${Y}-10-01` });
    const exempt = await billedCustomer({ country, productIds: [vm.id], anchor: `${Y}-10-01` });
    const reason = "Exempt: supplies to a diplomatic mission";
    await db().update(organizations).set({ taxExemptReason: reason, addressLine1: "3 Embassy Row", city: "Valletta" }).where(eq(organizations.id, exempt.org.id));

    await runOnce(`${Y}-10-15`);
    const [t] = await invoicesOf(taxed.sub.id);
    const [e] = await invoicesOf(exempt.sub.id);
    expect([t!.subtotalMinor, t!.taxMinor, t!.taxExemptReason]).toEqual([4900, 980, null]);
    expect([e!.subtotalMinor, e!.taxMinor, e!.totalMinor, e!.taxExemptReason]).toEqual([4900, 0, 4900, reason]);
    expect(await db().select().from(invoiceTaxes).where(eq(invoiceTaxes.invoiceId, e!.id))).toEqual([]);
    // The buyer is the billed organization as it stood at issue.
    expect(JSON.parse(e!.buyer!)).toMatchObject({ name: exempt.org.name, line1: "3 Embassy Row", city: "Valletta", country });
    expect(JSON.parse(t!.buyer!)).toMatchObject({ name: taxed.org.name, country });
  });

  it("bills fixed fees in advance with the country's active taxes, one tax line per rule, frozen", async () => {
    const country = uniqueCountry();
    const vat = await taxRule(country, 200_000, { name: "VAT" });
    const levy = await taxRule(country, 15_000, { name: "Digital levy" });
    await taxRule(country, 990_000, { name: "Suspended", status: "suspended" });
    await taxRule(country, 500_000, { name: "Future", effectiveFrom: `${Y + 1}-01-01` });
    const vm = await createProduct({ price: [4900, 2], name: "VM" });
    const offset = await createProduct({ price: [500, 2], taxable: false, name: "Offset" });
    const { sub, org, contact } = await billedCustomer({ country, productIds: [vm.id, offset.id], anchor: `${Y}-10-01` });

    const { ctx } = await runOnce(`${Y}-11-22`);
    const list = await invoicesOf(sub.id);
    // Oct and Nov have started: billed in advance; Dec has not.
    expect(list.map((i) => [i.periodFrom, i.periodTo])).toEqual([[`${Y}-10-01`, `${Y}-10-31`], [`${Y}-11-01`, `${Y}-11-30`]]);
    const inv = list[1]!;
    expect(inv.status).toBe("unpaid");
    expect(inv.number).toMatch(new RegExp(`^INV-${Y}-\\d{6}$`));
    expect(inv.issueDate).toBe(`${Y}-11-22`);
    expect(inv.dueDate).toBe(`${Y}-12-06`);
    // 49.00 + 5.00; taxes on 49.00: 20 % = 9.80, 1.5 % = 0.735 → 0.74.
    expect([inv.subtotalMinor, inv.taxMinor, inv.totalMinor]).toEqual([5400, 980 + 74, 5400 + 1054]);
    const taxes = await db().select().from(invoiceTaxes).where(eq(invoiceTaxes.invoiceId, inv.id));
    expect(taxes.map((t) => [t.ruleId, t.ruleName, t.ratePpm, t.taxMinor]).sort()).toEqual([[levy, "Digital levy", 15_000, 74], [vat, "VAT", 200_000, 980]].sort());
    // Ledger: receivable = total, revenue and tax credited.
    const txn = (await db().select().from(ledgerTransactions).where(and(eq(ledgerTransactions.invoiceId, inv.id), eq(ledgerTransactions.kind, "invoice_issued"))).get())!;
    const entries = await db().select().from(ledgerEntries).where(eq(ledgerEntries.transactionId, txn.id));
    expect(Object.fromEntries(entries.map((e) => [e.account, e.amountMinor]))).toEqual({ receivable: 6454, revenue: -5400, tax_payable: -1054 });
    const subRow = (await db().select().from(resourceSubscriptions).where(eq(resourceSubscriptions.id, sub.id)).get())!;
    expect(subRow.billedThrough).toBe(`${Y}-12-01`);

    // invoice.issued reaches the primary contact with the PDF attached.
    const mine = ctx.sent.filter((m) => m.idempotencyKey === `invoice.issued:${inv.id}`);
    expect(mine).toHaveLength(1);
    await deliver(mine);
    const mail = (await mailTo(contact.email)).find((m) => m.raw.includes(inv.number!));
    expect(mail, "invoice.issued mail").toBeTruthy();
    expect(mail!.raw).toMatch(/application\/pdf/);
    expect(mail!.raw).toContain(`${inv.number}.pdf`);
    expect(org.id).toBe(inv.orgId);
  });

  it("bills usage in arrears with the consumption behind each line; trial periods are free", async () => {
    const cpu = await createProduct({ model: "payg", unit: "vCPU-hour", price: [125, 4], name: "Compute" });
    const { sub, resource } = await billedCustomer({ country: uniqueCountry(), productIds: [cpu.id], model: "payg", anchor: `${Y}-08-01`, status: "trial", trialEndsAt: `${Y}-09-01` });
    await addUsage(sub, cpu.id, resource.id, `${Y}-08-10`, [100, 0]); // in the trial: free
    await addUsage(sub, cpu.id, resource.id, `${Y}-09-03`, [10, 1]);
    await addUsage(sub, cpu.id, resource.id, `${Y}-09-03`, [5, 0]);
    await addUsage(sub, cpu.id, null, `${Y}-09-20`, [2505, 2]);
    await addUsage(sub, cpu.id, resource.id, `${Y}-11-05`, [7, 0]); // the current period: not yet
    await runOnce(`${Y}-11-22`);
    const list = await invoicesOf(sub.id);
    // Aug: trial, no invoice. Sep: usage. Oct: no usage, no invoice. Nov: not ended.
    expect(list.map((i) => i.periodFrom)).toEqual([`${Y}-09-01`]);
    const detail = (await loadInvoice(db(), list[0]!.id))!;
    expect(detail.lines).toHaveLength(1);
    // 1 + 5 + 25.05 = 31.05 vCPU-hours × 0.0125 = 0.388125 → precision 4: 0.3881 → €0.39
    expect(detail.lines[0]!.quantity).toBe("31.05");
    expect(detail.subtotalMinor).toBe(39);
    expect(detail.lines[0]!.usage).toEqual([
      { date: `${Y}-09-03`, quantity: "6", resource: expect.any(String) },
      { date: `${Y}-09-20`, quantity: "25.05", resource: null },
    ]);
    const subRow = (await db().select().from(resourceSubscriptions).where(eq(resourceSubscriptions.id, sub.id)).get())!;
    expect(subRow.billedThrough).toBe(`${Y}-11-01`);
  });

  it("creates each invoice exactly once when runs overlap, with gapless unique numbers", async () => {
    const fee = await createProduct({ price: [1000, 2] });
    const subs = await Promise.all(Array.from({ length: 6 }, () => billedCustomer({ country: uniqueCountry(), productIds: [fee.id], anchor: `${Y}-09-05` })));
    const ctx = billingCtx();
    const runs = await Promise.all(Array.from({ length: 5 }, () => createBillingRun(ctx, { trigger: "manual", asOf: `${Y}-11-22` })));
    await Promise.all(runs.map((r) => runBillingInline(billingCtx(), r.id, 4)));
    const rows = await db().select().from(invoices).where(inArray(invoices.subscriptionId, subs.map((s) => s.sub.id)));
    // Periods starting Sep 5, Oct 5, Nov 5 for each subscription: 3 × 6 invoices, none twice.
    expect(rows).toHaveLength(18);
    expect(new Set(rows.map((r) => `${r.subscriptionId}|${r.periodFrom}`)).size).toBe(18);
    expect(new Set(rows.map((r) => r.number)).size).toBe(18);
    for (const r of runs) expect((await db().select().from(billingRuns).where(eq(billingRuns.id, r.id)).get())!.status).toBe("completed");
    // Gapless: the series has no hole or duplicate from 1 to its last number (across every test so far).
    const all = await db().all<{ number: string }>(sql`SELECT number FROM invoices WHERE series = ${`INV-${Y}`} ORDER BY number`);
    const ns = all.map((r) => Number(r.number.slice(-6)));
    expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
    const next = await db().get<{ n: number }>(sql`SELECT next_number AS n FROM invoice_number_series WHERE series = ${`INV-${Y}`}`);
    expect(next!.n).toBeGreaterThanOrEqual(ns.length + 1);
  });

  it("resumes from the cursor, and a page processed twice at once moves the run only once", async () => {
    const fee = await createProduct({ price: [250, 2] });
    const { sub } = await billedCustomer({ country: uniqueCountry(), productIds: [fee.id], anchor: `${Y}-11-01` });
    const ctx = billingCtx();
    const run = await createBillingRun(ctx, { trigger: "manual", asOf: `${Y}-11-22` });
    await processBillingPage(ctx, run.id, 3);
    const afterFirst = (await db().select().from(billingRuns).where(eq(billingRuns.id, run.id)).get())!;
    expect(afterFirst.cursor).not.toBeNull();
    // A redelivered message racing the original: both bill the same page, only one moves the cursor.
    const twice = await Promise.all([processBillingPage(ctx, run.id, 3), processBillingPage(ctx, run.id, 3)]);
    const afterRace = (await db().select().from(billingRuns).where(eq(billingRuns.id, run.id)).get())!;
    expect(twice.filter((r) => r.more).length).toBeLessThanOrEqual(1);
    expect(afterRace.processedSubscriptions - afterFirst.processedSubscriptions).toBeLessThanOrEqual(3);
    // "Crash": nobody continues. A resume picks up at the cursor and finishes.
    await runBillingInline(ctx, run.id, 3);
    const done = (await db().select().from(billingRuns).where(eq(billingRuns.id, run.id)).get())!;
    expect(done.status).toBe("completed");
    expect(done.finishedAt).not.toBeNull();
    expect(await processBillingPage(ctx, run.id, 3)).toEqual({ more: false });
    expect(await invoicesOf(sub.id)).toHaveLength(1);
  });

  it("never changes an issued invoice: triggers refuse edits; tax rule edits, suspension and deletion leave it as issued", async () => {
    const country = uniqueCountry();
    const rule = await taxRule(country, 200_000);
    const fee = await createProduct({ price: [10000, 2] });
    const { sub } = await billedCustomer({ country, productIds: [fee.id], anchor: `${Y}-11-01` });
    await runOnce(`${Y}-11-22`);
    const [inv] = await invoicesOf(sub.id);
    const before = await loadInvoice(db(), inv!.id);
    await expect(env.DB.prepare("UPDATE invoices SET total_minor = 1 WHERE id = ?").bind(inv!.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare("UPDATE invoice_lines SET net_minor = 1 WHERE invoice_id = ?").bind(inv!.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare("DELETE FROM invoice_taxes WHERE invoice_id = ?").bind(inv!.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare("DELETE FROM invoices WHERE id = ?").bind(inv!.id).run()).rejects.toThrow(/cannot be deleted/);
    await expect(env.DB.prepare("UPDATE invoices SET status = 'draft' WHERE id = ?").bind(inv!.id).run()).rejects.toThrow(/invalid invoice status/);
    await db().insert(taxRuleVersions).values({ id: `txv_${crypto.randomUUID()}`, ruleId: rule, ratePpm: 250_000, effectiveFrom: `${Y}-11-22`, createdAt: testNow() });
    await db().update(taxRules).set({ status: "suspended" }).where(eq(taxRules.id, rule));
    await db().update(taxRules).set({ deletedAt: testNow() }).where(eq(taxRules.id, rule));
    expect(await loadInvoice(db(), inv!.id)).toEqual(before);
    expect(before!.taxes).toEqual([{ ruleName: expect.any(String), ratePercent: "20", taxableMinor: 10000, taxMinor: 2000 }]);
  });

  it("issues an invoice with the number in its email even when numbers race", async () => {
    const org = (await billedCustomer({ country: uniqueCountry(), productIds: [] })).org;
    const ctx = billingCtx();
    const results = await Promise.all(Array.from({ length: 30 }, () =>
      issueInvoice(ctx, { orgId: org.id, subscriptionId: null, contractId: null, kind: "manual", issueDate: `${Y}-11-22`, dueDate: `${Y}-12-06`, periodFrom: `${Y}-11-01`, periodTo: `${Y}-11-30`,
        lines: [{ description: "Setup", quantity: { value: 1n, scale: 0 }, unit: "unit", unitPrice: { value: 999n, scale: 2 }, taxable: true }] }, { dispatch: false })));
    expect(new Set(results.map((r) => r.number)).size).toBe(30);
    for (const r of results) {
      const row = (await db().select({ number: invoices.number }).from(invoices).where(eq(invoices.id, r.id)).get())!;
      expect(row.number).toBe(r.number);
      const outbox = await env.DB.prepare("SELECT data FROM email_outbox WHERE idempotency_key = ?").bind(`invoice.issued:${r.id}`).first<{ data: string }>();
      expect(JSON.parse(outbox!.data)["invoice.number"]).toBe(r.number);
    }
    const lines = await db().select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, results.map((r) => r.id)));
    expect(lines).toHaveLength(30);
    // No gap inside this burst either: 30 consecutive numbers.
    const ns = results.map((r) => Number(r.number!.slice(-6))).sort((a, b) => a - b);
    expect(ns[29]! - ns[0]!).toBe(29);
  }, 60_000);
});

describe("cron and settings", () => {
  it("the cron starts one run per day and resumes runs whose pages stopped", async () => {
    const ctx = billingCtx(Date.UTC(Y + 1, 0, 5, 6));
    const sent: Array<{ runId: string }> = [];
    const billingQueue = { send: async (m: { runId: string }) => void sent.push(m) } as unknown as Queue<BillingMessage>;
    await cronBilling({ ...ctx, billingQueue });
    await cronBilling({ ...ctx, billingQueue });
    const todays = await db().select().from(billingRuns).where(and(eq(billingRuns.asOf, `${Y + 1}-01-05`), eq(billingRuns.trigger, "cron")));
    expect(todays).toHaveLength(1);
    expect(sent.filter((m) => m.runId === todays[0]!.id)).toHaveLength(1);
    // Eleven minutes without progress: the next cron tick re-enqueues it (resume from the cursor).
    ctx.clock.advance(11 * 60_000);
    await cronBilling({ ...ctx, billingQueue });
    expect(sent.filter((m) => m.runId === todays[0]!.id)).toHaveLength(2);
    await db().update(billingRuns).set({ status: "completed" }).where(eq(billingRuns.id, todays[0]!.id));
  });

  it("saves settings with an audit row in the same batch; currency and precision locked once invoices exist", async () => {
    const operator = await createOrg({ kind: "operator" });
    const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
    const ctx = {
      ...billingCtx(),
      principal: { userId: admin.id, email: admin.email, firstName: admin.firstName, lastName: admin.lastName, role: "cloud_admin" as const, privileges: [], orgId: operator.id, orgKind: "operator" as const, orgName: operator.name },
    };
    const fee = await createProduct({ price: [100, 2] });
    await billedCustomer({ country: uniqueCountry(), productIds: [fee.id], anchor: `${Y}-11-01` });
    await runOnce(`${Y}-11-22`);
    const before = await getBillingSettings({ ctx });
    expect(before.locked).toBe(true);
    await expect(updateBillingSettings({ ctx, input: { currency: "USD", precision: before.precision, paymentTermsDays: before.paymentTermsDays, invoicePrefix: before.invoicePrefix } }))
      .rejects.toMatchObject({ code: "CURRENCY_LOCKED" });
    const saved = await updateBillingSettings({ ctx, input: { currency: before.currency, precision: before.precision, paymentTermsDays: 30, invoicePrefix: before.invoicePrefix } });
    expect(saved.paymentTermsDays).toBe(30);
    await updateBillingSettings({ ctx, input: { currency: before.currency, precision: before.precision, paymentTermsDays: before.paymentTermsDays, invoicePrefix: before.invoicePrefix } });
    const audits = await auditRows({ actorUserId: admin.id, action: "billing.settings.updated" });
    expect(audits.map((a) => JSON.parse(a.diff))).toEqual([{ paymentTermsDays: { before: before.paymentTermsDays, after: 30 } }, { paymentTermsDays: { before: 30, after: before.paymentTermsDays } }]);
  });
});

describe("billing queue consumer", () => {
  it("bills a page per message, retries malformed ones, and marks a run failed when its page is dead-lettered", async () => {
    const ctx = billingCtx();
    // As of 2020 nothing is due: the page walks subscriptions without issuing anything.
    const run = await createBillingRun(ctx, { trigger: "manual", asOf: "2020-01-01" });
    const batch = createMessageBatch("cumulus-billing", [
      { id: `b-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { type: "billing.page", runId: run.id } },
      { id: `b-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 2, body: { nonsense: true } },
    ]);
    const exec = createExecutionContext();
    await worker.queue(batch, env, exec);
    const result = await getQueueResult(batch, exec);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(result.retryMessages).toEqual([{ msgId: batch.messages[1]!.id }]);
    const moved = (await db().select().from(billingRuns).where(eq(billingRuns.id, run.id)).get())!;
    expect(moved.processedSubscriptions).toBeGreaterThan(0);

    const doomed = await createBillingRun(ctx, { trigger: "manual", asOf: "2020-01-01" });
    const dlq = createMessageBatch("cumulus-billing-dlq", [{ id: `d-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 6, body: { type: "billing.page", runId: doomed.id } }]);
    const exec2 = createExecutionContext();
    await worker.queue(dlq, env, exec2);
    await getQueueResult(dlq, exec2);
    const failed = (await db().select().from(billingRuns).where(eq(billingRuns.id, doomed.id)).get())!;
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/failed 6 times/);
  });
});

/**
 * Figures the reports show: contract/plan/subscription counts in the catalogue, income and expenses in
 * Transaction Logs (issue and cancel postings move no money, ADR 011), and the CSV's "Tax Rate %" per rule.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { InvoiceDetail } from "../../../worker/contract/billing";
import type { Contract, Plan, Product } from "../../../worker/contract/catalogue";
import type { TransactionPage } from "../../../worker/contract/wallet";
import { atomically } from "../../../worker/db/atomic";
import { contracts, ledgerTransactions } from "../../../worker/db/schema";
import { postingStatements } from "../../../worker/domain/ledger/post";
import { billingCtx, taxRule } from "../../billing-fixtures";
import { addDays, testNow, today } from "../../clock";
import { parseCsv } from "../../csv";
import { createOrg, createSession, createSubscription, createUser, createWorld, db, type World } from "../../factories";
import { testClient } from "../../helpers";

let w: World;
let cookie: string;
const c = testClient({ now: testNow() });
const get = (path: string) => c.request("GET", path, { cookie });
const post = (path: string, body: unknown) => c.request("POST", path, { cookie, body });

beforeAll(async () => {
  w = await createWorld();
  const staff = await createUser({ orgId: w.operator.id, role: "staff", privileges: ["billing.read", "billing.write"] });
  cookie = await createSession(staff.id, testNow());
});

async function invoiceFor(orgId: string, items = [{ description: "Work", quantity: "1", unitPrice: "100", taxable: true }]): Promise<InvoiceDetail> {
  const res = await post("/api/invoices", { for: "customer", orgId, status: "unpaid", issueDate: today(), dueDate: addDays(today(), 14), periodFrom: today(), periodTo: today(), items });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as InvoiceDetail;
}

describe("catalogue counts", () => {
  it("Plans show how many contracts use them; products their plans; contracts their subscriptions", async () => {
    const product = (await (await post("/api/products", { name: `P ${crypto.randomUUID().slice(0, 6)}`, model: "fixed", unit: "month", unitPrice: "10", taxable: true, status: "active" })).json()) as Product;
    const planRes = await post("/api/plans", { name: `Plan ${crypto.randomUUID().slice(0, 6)}`, status: "active", productIds: [product.id] });
    expect(planRes.status, await planRes.clone().text()).toBe(201);
    const plan = (await planRes.json()) as Plan;
    const contractIds: string[] = [];
    for (const org of [w.customerA, w.direct]) {
      const res = await post("/api/contracts", { orgId: org.id, planId: plan.id, startDate: today(), status: "active" });
      expect(res.status, await res.clone().text()).toBe(201);
      contractIds.push(((await res.json()) as Contract).id);
    }
    const plans = ((await (await get("/api/plans")).json()) as { items: Plan[] }).items;
    expect(plans.find((p) => p.id === plan.id)?.contractCount).toBe(2);
    const products = ((await (await get("/api/products")).json()) as { items: Product[] }).items;
    expect(products.find((p) => p.id === product.id)?.planCount).toBe(1);

    // A subscription counts on its contract; moving that contract onto the plan counts it there too.
    const sub = await createSubscription(w.direct.id);
    await db().update(contracts).set({ planId: plan.id }).where(eq(contracts.id, sub.contractId));
    const page = (await (await get(`/api/contracts?orgId=${w.direct.id}&pageSize=100`)).json()) as { items: Contract[] };
    expect(page.items.find((x) => x.id === contractIds[1])?.subscriptionCount).toBe(0);
    expect(page.items.find((x) => x.id === sub.contractId)?.subscriptionCount).toBe(1);
    expect(((await (await get("/api/plans")).json()) as { items: Plan[] }).items.find((p) => p.id === plan.id)?.contractCount).toBe(3);
  });
});

describe("Transaction Logs: issuing and cancelling an invoice move no money", () => {
  it("a cancelled invoice is never income or expense: totals, chart, direction filter and CSV", async () => {
    const org = await createOrg({ kind: "customer" });
    const inv = await invoiceFor(org.id);
    expect((await post(`/api/invoices/${inv.id}/cancel`, {})).status).toBe(200);
    // A cancellation posted before the fix (direction `out`; the ledger is append-only, the row stays).
    const ctx = billingCtx(testNow());
    await atomically(db(), postingStatements(ctx, {
      orgId: org.id, kind: "invoice_cancelled", direction: "out", amountMinor: 5000, currency: "EUR", idempotencyKey: `legacy:${crypto.randomUUID()}`,
      entries: [{ account: "receivable", amountMinor: -5000 }, { account: "revenue", amountMinor: 5000 }],
    }).statements);
    await post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: "7.00", requestKey: crypto.randomUUID() });

    const posted = await db().select({ kind: ledgerTransactions.kind, direction: ledgerTransactions.direction }).from(ledgerTransactions).where(eq(ledgerTransactions.orgId, org.id));
    expect(posted.filter((p) => p.kind === "invoice_cancelled").map((p) => p.direction).sort()).toEqual(["none", "out"]);

    for (const query of ["bookkeeping=true", "kind=invoice_cancelled", "kind=invoice_issued", ""]) {
      const page = (await (await get(`/api/transactions?orgId=${org.id}&${query}`)).json()) as TransactionPage;
      const topUp = query === "bookkeeping=true" || query === "" ? 700 : 0;
      expect(page.totals, query).toEqual({ incomeMinor: topUp, expensesMinor: 0, netMinor: topUp });
      expect(page.series.points.reduce((a, p) => a + p.expensesMinor, 0), query).toBe(0);
      expect(page.items.filter((t) => t.kind.startsWith("invoice_")).every((t) => t.direction === "none"), query).toBe(true);
    }
    const out = (await (await get(`/api/transactions?orgId=${org.id}&bookkeeping=true&direction=out`)).json()) as TransactionPage;
    expect(out.total).toBe(0);
    const none = (await (await get(`/api/transactions?orgId=${org.id}&bookkeeping=true&direction=none`)).json()) as TransactionPage;
    expect(none.items.map((t) => t.kind).sort()).toEqual(["invoice_cancelled", "invoice_cancelled", "invoice_issued"]);

    const csv = parseCsv((await (await get(`/api/transactions/export.csv?orgId=${org.id}&bookkeeping=true`)).text()).replace(/^\uFEFF/, ""));
    const dir = csv[0]!.indexOf("Direction");
    const type = csv[0]!.indexOf("Type");
    for (const row of csv.slice(1)) if (/^Invoice/.test(row[type]!)) expect(row[dir], row.join(",")).toBe("none");
  });
});

describe("invoice CSV: Tax Rate %", () => {
  it("lists each rule's rate instead of adding them up", async () => {
    const country = "QX";
    await taxRule(country, 210_000, { effectiveFrom: "2020-01-01" });
    await taxRule(country, 105_000, { effectiveFrom: "2020-01-01" });
    const org = await createOrg({ kind: "customer", country });
    const taxed = await invoiceFor(org.id);
    const rows = parseCsv((await (await get(`/api/invoices/export.csv?orgId=${org.id}`)).text()).replace(/^\uFEFF/, ""));
    const col = rows[0]!.indexOf("Tax Rate %");
    const byNumber = new Map(rows.slice(1).map((r) => [r[0], r[col]]));
    expect(byNumber.get(taxed.number!)).toBe("21 % + 10.5 %");
    expect(taxed.taxMinor).toBe(3150);
    const none = await createOrg({ kind: "customer", country: "QZ" });
    const plain = await invoiceFor(none.id);
    const plainRows = parseCsv((await (await get(`/api/invoices/export.csv?orgId=${none.id}`)).text()).replace(/^\uFEFF/, ""));
    expect(plainRows.find((r) => r[0] === plain.number)?.[col]).toBe("0 %");
  });
});

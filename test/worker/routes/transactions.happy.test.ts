/**
 * Transaction Logs: filters, totals, chart series, pagination; CSV export through a strict RFC 4180 parser with
 * spreadsheet formula-injection strings; the ledger reconciles with invoices and wallets. Tenancy:
 * transactions.security.test.ts.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { TransactionPage } from "../../../worker/contract/wallet";
import { atomically } from "../../../worker/db/atomic";
import { newId } from "../../../worker/db/ids";
import { invoices } from "../../../worker/db/schema";
import { invoiceIssuedPosting, postingStatements } from "../../../worker/domain/ledger/post";
import { fixedClock } from "../../../worker/integrations/clock";
import { createOrg, db } from "../../factories";
import { csvText, INJECTIONS, parseCsv } from "../../csv";
import { expectError, useWorld } from "../../helpers";
import { monthStart, noon } from "../../clock";
import { as, day, key, NOW } from "./wallet-helpers";

const world = useWorld();

describe("Transaction Logs", () => {
  it("lists money movements with filters, totals and a chart series; invoice postings hidden unless asked", async () => {
    const org = await createOrg({ name: `Logs ${key().slice(0, 6)}` });
    const twoDaysAgo = await as(world.staffBilling.id, noon(-2, NOW));
    await twoDaysAgo.post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: "100.00", reference: "WIRE-1", requestKey: key() });
    const yesterday = await as(world.staffBilling.id, noon(-1, NOW));
    await yesterday.post(`/api/organizations/${org.id}/wallet/free-credits`, { amount: "15.50", requestKey: key() });
    // An expiry (out) and an issued invoice (bookkeeping) for the same organization.
    const ctx = { clock: fixedClock(noon(-1, NOW) + 3_600_000) };
    await atomically(db(), postingStatements(ctx, { orgId: org.id, kind: "free_credit_expired", direction: "out", amountMinor: 550, currency: "EUR", idempotencyKey: key(), entries: [{ account: "wallet_free", amountMinor: 550 }, { account: "promotions", amountMinor: -550 }] }).statements);
    const invId = newId("invoice");
    await db().insert(invoices).values({ id: invId, orgId: org.id, kind: "manual", number: `TST-${key()}`, series: "TST", status: "unpaid", issueDate: day(-1), dueDate: day(13), periodFrom: monthStart(0, NOW), periodTo: monthStart(1, NOW), currency: "EUR", precision: 2, subtotalMinor: 1000, taxMinor: 200, totalMinor: 1200, createdAt: 1, updatedAt: 1, issuedAt: 1 });
    await atomically(db(), postingStatements(ctx, invoiceIssuedPosting({ id: invId, orgId: org.id, currency: "EUR", subtotalMinor: 1000, taxMinor: 200, totalMinor: 1200 })).statements);

    const me = await as(world.admin.id);
    const page = (await (await me.get(`/api/transactions?orgId=${org.id}`)).json()) as TransactionPage;
    expect(page.items.map((t) => t.kind)).toEqual(["free_credit_expired", "free_credit", "wallet_topup"]);
    expect(page.totals).toEqual({ incomeMinor: 11550, expensesMinor: 550, netMinor: 11000 });
    expect(page.items[2]!.actor).toMatch(/Test User/);
    const withBooks = (await (await me.get(`/api/transactions?orgId=${org.id}&bookkeeping=true`)).json()) as TransactionPage;
    expect(withBooks.total).toBe(4);
    expect(withBooks.items.find((t) => t.kind === "invoice_issued")?.invoiceNumber).toMatch(/^TST-/);
    expect(withBooks.totals.incomeMinor).toBe(11550); // bookkeeping moves no money

    const out = (await (await me.get(`/api/transactions?orgId=${org.id}&direction=out`)).json()) as TransactionPage;
    expect(out.items.map((t) => t.kind)).toEqual(["free_credit_expired"]);
    const byRef = (await (await me.get(`/api/transactions?orgId=${org.id}&q=wire-1`)).json()) as TransactionPage;
    expect(byRef.items.map((t) => t.reference)).toEqual(["WIRE-1"]);
    const byKind = (await (await me.get(`/api/transactions?orgId=${org.id}&kind=free_credit`)).json()) as TransactionPage;
    expect(byKind.total).toBe(1);
    const ranged = (await (await me.get(`/api/transactions?orgId=${org.id}&from=${day(-2)}&to=${day(0)}`)).json()) as TransactionPage;
    expect(ranged.series.bucket).toBe("day");
    expect(ranged.series.points).toEqual([
      { label: day(-2), incomeMinor: 10000, expensesMinor: 0 },
      { label: day(-1), incomeMinor: 1550, expensesMinor: 550 },
      { label: day(0), incomeMinor: 0, expensesMinor: 0 },
    ]);
    const onlyTwoDaysAgo = (await (await me.get(`/api/transactions?orgId=${org.id}&from=${day(-2)}&to=${day(-2)}`)).json()) as TransactionPage;
    expect(onlyTwoDaysAgo.items.map((t) => t.kind)).toEqual(["wallet_topup"]);
    const paged = (await (await me.get(`/api/transactions?orgId=${org.id}&pageSize=2&page=2`)).json()) as TransactionPage;
    expect(paged.items.map((t) => t.kind)).toEqual(["wallet_topup"]);
    expect(paged.total).toBe(3);
    const bad = await expectError(await me.get(`/api/transactions?from=${day(-2)}&to=${day(-21)}`), 400, "VALIDATION_FAILED");
    expect(bad.fields?.to).toBeTruthy();
    await expectError(await me.get(`/api/transactions?kind=bogus`), 400, "VALIDATION_FAILED");
  });

  it("exports every matching transaction as CSV that parses strictly, with injection strings neutralised", async () => {
    const org = await createOrg({ name: '=HYPERLINK("http://evil.example") Ltd' });
    const me = await as(world.admin.id);
    for (const [i, text] of INJECTIONS.entries()) {
      const r = await me.post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: `${i + 1}.0${i % 10}`, reference: text.trim() ? text.slice(0, 100) : "x", description: text, requestKey: key() });
      expect(r.status, await r.clone().text()).toBe(201);
    }
    const res = await me.get(`/api/transactions/export.csv?orgId=${org.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="transactions-${day(0)}.csv"`);
    const rows = parseCsv(await csvText(res));
    expect(rows[0]).toEqual(["Date (UTC)", "Transaction ID", "Organization", "Type", "Direction", "Amount", "Currency", "Status", "Invoice", "Reference", "Description", "By"]);
    expect(rows).toHaveLength(1 + INJECTIONS.length);
    for (const row of rows.slice(1)) {
      expect(row[2]).toBe(`'${org.name}`);
      for (const cell of row) expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell))).toBe(false);
    }
    const descriptions = rows.slice(1).map((r) => r[10]).sort();
    const expected = INJECTIONS.map((t) => (/^[=+\-@\t\r]/.test(t) ? `'${t.trim()}` : t.trim())).sort();
    expect(descriptions).toEqual(expected);
    expect(rows.slice(1).map((r) => r[5]).sort()).toContain("1.00");
  });

  it("streams large exports in pages (keyset) without losing or repeating rows", async () => {
    const org = await createOrg();
    const start = noon(-21, NOW);
    const ctx = { clock: fixedClock(start) };
    const statements = [];
    for (let i = 0; i < 1203; i++) {
      ctx.clock.set(start + Math.floor(i / 3)); // equal timestamps too: the id breaks ties
      statements.push(...postingStatements(ctx, { orgId: org.id, kind: "adjustment", direction: "in", amountMinor: i + 1, currency: "EUR", idempotencyKey: key(), entries: [{ account: "cash", amountMinor: i + 1 }, { account: "wallet_paid", amountMinor: -(i + 1) }] }).statements);
    }
    for (let i = 0; i < statements.length; i += 300) await atomically(db(), statements.slice(i, i + 300));
    const me = await as(world.admin.id);
    const rows = parseCsv(await csvText(await me.get(`/api/transactions/export.csv?orgId=${org.id}`))).slice(1);
    expect(rows).toHaveLength(1203);
    expect(new Set(rows.map((r) => r[1])).size).toBe(1203);
    const sum = rows.reduce((a, r) => a + Math.round(Number(r[5]) * 100), 0);
    expect(sum).toBe((1203 * 1204) / 2);
  });
});

describe("ledger invariants", () => {
  it("every organization's ledger sums to 0 and reconciles with paid invoices and wallet balances", async () => {
    const org = await createOrg();
    const me = await as(world.admin.id);
    await me.post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: "100.00", requestKey: key() });
    await me.post(`/api/organizations/${org.id}/wallet/free-credits`, { amount: "20.00", expiresAt: day(39), requestKey: key() });
    const ctx = { clock: fixedClock(NOW) };
    const invoice = async (total: number, status: "unpaid" | "paid") => {
      const id = newId("invoice");
      const subtotal = Math.round(total / 1.21);
      await db().insert(invoices).values({ id, orgId: org.id, kind: "manual", number: `TST-${key()}`, series: "TST", status: "unpaid", issueDate: day(0), dueDate: day(14), periodFrom: monthStart(0, NOW), periodTo: monthStart(1, NOW), currency: "EUR", precision: 2, subtotalMinor: subtotal, taxMinor: total - subtotal, totalMinor: total, createdAt: 1, updatedAt: 1, issuedAt: 1 });
      await atomically(db(), postingStatements(ctx, invoiceIssuedPosting({ id, orgId: org.id, currency: "EUR", subtotalMinor: subtotal, taxMinor: total - subtotal, totalMinor: total })).statements);
      if (status === "paid") await db().update(invoices).set({ status: "paid", amountPaidMinor: total, paidAt: 2 }).where(eq(invoices.id, id));
      return id;
    };
    const offline = await invoice(12100, "paid");
    await atomically(db(), postingStatements(ctx, { orgId: org.id, kind: "offline_payment", direction: "in", amountMinor: 12100, currency: "EUR", invoiceId: offline, idempotencyKey: key(), entries: [{ account: "cash", amountMinor: 12100 }, { account: "receivable", amountMinor: -12100 }] }).statements);
    const card = await invoice(3025, "paid");
    await atomically(db(), postingStatements(ctx, { orgId: org.id, kind: "card_payment", direction: "in", amountMinor: 3025, currency: "EUR", invoiceId: card, idempotencyKey: key(), entries: [{ account: "cash", amountMinor: 3025 }, { account: "receivable", amountMinor: -3025 }] }).statements);
    const fromWallet = await invoice(5000, "paid"); // 20.00 free first, then 30.00 paid credit
    await atomically(db(), postingStatements(ctx, { orgId: org.id, kind: "wallet_payment", direction: "none", amountMinor: 5000, currency: "EUR", invoiceId: fromWallet, idempotencyKey: key(), entries: [{ account: "wallet_free", amountMinor: 2000 }, { account: "wallet_paid", amountMinor: 3000 }, { account: "receivable", amountMinor: -5000 }] }).statements);
    await invoice(999, "unpaid");

    const perTxn = await db().all<{ s: number }>(sql`SELECT SUM(e.amount_minor) AS s FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.org_id = ${org.id} GROUP BY t.id`);
    expect(perTxn.every((r) => r.s === 0)).toBe(true);
    const account = async (a: string) => Number((await db().get<{ s: number }>(sql`SELECT COALESCE(SUM(amount_minor), 0) AS s FROM ledger_entries WHERE org_id = ${org.id} AND account = ${a}`))!.s);
    expect(await db().get<{ s: number }>(sql`SELECT COALESCE(SUM(amount_minor), 0) AS s FROM ledger_entries WHERE org_id = ${org.id}`)).toEqual({ s: 0 });

    const paid = await db().all<{ kind: string; total: number }>(sql`SELECT i.id, i.total_minor AS total, t.kind FROM invoices i JOIN ledger_transactions t ON t.invoice_id = i.id AND t.kind IN ('offline_payment', 'card_payment', 'wallet_payment') WHERE i.org_id = ${org.id} AND i.status = 'paid'`);
    const paidByMoney = paid.filter((p) => p.kind !== "wallet_payment").reduce((a, p) => a + p.total, 0);
    const w = await (await me.get(`/api/organizations/${org.id}/wallet`)).json() as { paidMinor: number; freeMinor: number };
    const paidFromPaidCredit = 3000;
    // cash received = Σ offline/card payments of paid invoices + paid wallet credit bought (balance + what it paid)
    expect(await account("cash")).toBe(paidByMoney + w.paidMinor + paidFromPaidCredit);
    expect([w.paidMinor, w.freeMinor]).toEqual([7000, 0]);
    // What is still owed is exactly the unpaid invoices.
    const unpaid = await db().get<{ s: number }>(sql`SELECT SUM(total_minor) AS s FROM invoices WHERE org_id = ${org.id} AND status = 'unpaid'`);
    expect(await account("receivable")).toBe(unpaid!.s);
    // Revenue + tax recognised = every issued invoice.
    const issued = await db().get<{ s: number }>(sql`SELECT SUM(total_minor) AS s FROM invoices WHERE org_id = ${org.id} AND status <> 'cancelled'`);
    expect(-(await account("revenue")) - (await account("tax_payable"))).toBe(issued!.s);
    // Promotions given = free credit granted; wallets = −(wallet accounts).
    expect(await account("promotions")).toBe(2000);
    expect(-(await account("wallet_paid"))).toBe(w.paidMinor);
  });
});

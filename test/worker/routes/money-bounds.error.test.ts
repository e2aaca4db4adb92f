/**
 * The storable range (worker/contract/money.ts, ADR 008) on every money input, and the confirmations a manual
 * invoice asks for (issue date far from today, zero total). Every refusal is a 4xx envelope with field messages,
 * never a 500, and nothing is written.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { computeInvoiceWithRules, itemAmountProblems, type InvoiceDetail } from "../../../worker/contract/billing";
import { exceedsUnits, MAX_AMOUNT, MAX_QUANTITY, parseDecimal } from "../../../worker/contract/money";
import { creditAmountProblem } from "../../../worker/contract/wallet";
import { invoices } from "../../../worker/db/schema";
import { addDays, addMonths, testNow, today } from "../../clock";
import { createSession, createUser, createWorld, db, type World } from "../../factories";
import { createSubscription } from "../../factories";
import { expectError, testClient } from "../../helpers";

let w: World;
let cookie: string;
const c = testClient({ now: testNow() });

beforeAll(async () => {
  w = await createWorld();
  const staff = await createUser({ orgId: w.operator.id, role: "staff", privileges: ["billing.read", "billing.write"] });
  cookie = await createSession(staff.id, testNow());
});

const manual = (orgId: string, over: Record<string, unknown> = {}) => ({
  for: "customer", orgId, status: "unpaid", issueDate: today(), dueDate: addDays(today(), 14), periodFrom: addDays(today(), -30), periodTo: today(),
  items: [{ description: "Consulting", quantity: "2", unitPrice: "100", taxable: true }],
  ...over,
});
const item = (quantity: string, unitPrice: string) => ({ description: "Item", quantity, unitPrice, taxable: true });
const post = (path: string, body: unknown) => c.request("POST", path, { cookie, body });
const invoiceCount = async (orgId: string) => (await db().select({ id: invoices.id }).from(invoices).where(eq(invoices.orgId, orgId))).length;

describe("amounts beyond the storable range are field errors (POST /api/invoices)", () => {
  it("refuses an empty contractId or productId with a field message (was a 500)", async () => {
    const a = await expectError(await post("/api/invoices", manual(w.direct.id, { contractId: "" })), 400, "VALIDATION_FAILED");
    expect(a.fields?.contractId).toMatch(/contract/);
    const b = await expectError(await post("/api/invoices", manual(w.direct.id, { items: [{ ...item("1", "5"), productId: "" }] })), 400, "VALIDATION_FAILED");
    expect(b.fields?.["items.0.productId"]).toMatch(/product/);
  });

  it("refuses a huge unit price, a huge quantity, a line or a sum above 1,000,000,000; writes nothing", async () => {
    const before = await invoiceCount(w.direct.id);
    const cases: Array<[unknown[], string, RegExp]> = [
      [[item("1", "99999999999999999999")], "items.0.unitPrice", /cannot be more than 1,000,000,000/],
      [[item("9999999999999999", "1")], "items.0.quantity", /cannot be more than 1,000,000,000/],
      [[item("1000000", "1000000")], "items.0.quantity", /largest amount an invoice line can hold/],
      [[item("1", "600000000"), item("1", "600000000")], "items", /largest amount an invoice can hold/],
      [[item("1", "1".padEnd(40, "0"))], "items.0.unitPrice", /too long/],
    ];
    for (const [items, field, message] of cases) {
      const err = await expectError(await post("/api/invoices", manual(w.direct.id, { items })), 400, "VALIDATION_FAILED");
      expect(err.fields?.[field], JSON.stringify(err)).toMatch(message);
    }
    expect(await invoiceCount(w.direct.id)).toBe(before);
  });

  it("accepts exactly the maximum and stores it exactly", async () => {
    const res = await post("/api/invoices", manual(w.direct.id, { items: [item("1", "999999999.999999"), item("0.000001", "1")] }));
    expect(res.status, await res.clone().text()).toBe(201);
    const inv = (await res.json()) as InvoiceDetail;
    expect(inv.lines[0]!.unitPrice).toBe("999999999.999999");
    expect(inv.subtotalMinor).toBe(100_000_000_000); // 1,000,000,000.00 EUR in cents
  });

  it("any items the API accepts compute to values that stay exact (property)", () => {
    const decimal = (max: number) =>
      fc.tuple(fc.bigInt({ min: 0n, max: BigInt(max) * 10n ** 6n }), fc.integer({ min: 0, max: 6 })).map(([v, scale]) => {
        const value = v / 10n ** BigInt(6 - scale);
        const digits = value.toString().padStart(scale + 1, "0");
        return scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
      });
    fc.assert(
      fc.property(fc.array(fc.tuple(decimal(MAX_QUANTITY), decimal(MAX_AMOUNT)), { minLength: 1, maxLength: 100 }), fc.integer({ min: 2, max: 6 }), (pairs, precision) => {
        const items = pairs.map(([quantity, unitPrice]) => ({ quantity, unitPrice }));
        if (Object.keys(itemAmountProblems(items)).length) return; // refused: nothing to store
        const computed = computeInvoiceWithRules({
          precision, exponent: 2,
          lines: items.map((i) => ({ quantity: parseDecimal(i.quantity)!, unitPrice: parseDecimal(i.unitPrice)!, taxable: true })),
          rules: [{ ruleId: "a", ruleVersionId: "a", ruleName: "A", ratePpm: 1_000_000 }, { ruleId: "b", ruleVersionId: "b", ruleName: "B", ratePpm: 999_999 }],
        });
        const stored = [computed.subtotalMinor, computed.taxMinor, computed.totalMinor, ...computed.lines.flatMap((l) => [l.netP, l.netMinor]), ...computed.taxes.map((t) => t.taxableP)];
        for (const v of stored) expect(v <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(exceedsUnits(parseDecimal("1000000000.000001")!, MAX_AMOUNT)).toBe(true);
    expect(exceedsUnits(parseDecimal("1000000000")!, MAX_AMOUNT)).toBe(false);
  });
});

describe("amounts beyond the storable range on the other money inputs", () => {
  it("wallet Top Up and Allocate Free Credit: a clear field message above 1,000,000,000; the maximum itself is credited exactly", async () => {
    for (const path of [`/api/organizations/${w.direct.id}/wallet/top-ups`, `/api/organizations/${w.direct.id}/wallet/free-credits`]) {
      for (const amount of ["99999999999999999999", "1000000000.01", "1".padEnd(31, "0")]) {
        const err = await expectError(await post(path, { amount, requestKey: crypto.randomUUID() }), 400, "VALIDATION_FAILED");
        expect(err.fields?.amount, `${path} ${amount}`).toMatch(/cannot be more than 1,000,000,000|too long/);
      }
    }
    const ok = await post(`/api/organizations/${w.direct.id}/wallet/top-ups`, { amount: "1000000000", requestKey: crypto.randomUUID() });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(((await ok.json()) as { paidMinor: number }).paidMinor).toBe(100_000_000_000);
    expect(creditAmountProblem("99999999999999999999", 2)).toMatch(/cannot be more than 1,000,000,000/);
  });

  it("products (unit price) and usage (quantity)", async () => {
    const product = { name: "Big", model: "payg", unit: "GB", taxable: true, status: "active" };
    const err = await expectError(await post("/api/products", { ...product, unitPrice: "1000000000.000001" }), 400, "VALIDATION_FAILED");
    expect(err.fields?.unitPrice).toMatch(/cannot be more than 1,000,000,000/);
    const created = await post("/api/products", { ...product, unitPrice: "1000000000" });
    expect(created.status, await created.clone().text()).toBe(201);
    const sub = await createSubscription(w.direct.id);
    const usage = await expectError(
      await post("/api/usage", { subscriptionId: sub.id, productId: ((await created.json()) as { id: string }).id, quantity: "99999999999999999999", usageDate: today(), idempotencyKey: `k-${crypto.randomUUID()}` }),
      400,
      "VALIDATION_FAILED",
    );
    expect(usage.fields?.quantity).toMatch(/cannot be more than 1,000,000,000/);
  });
});

describe("a manual invoice asks for confirmation before issuing (CONFIRMATION_REQUIRED)", () => {
  it("an issue date more than a month ahead or a year back: refused with the reason, issued once confirmed", async () => {
    const before = await invoiceCount(w.customerB.id);
    const ahead = addDays(addMonths(today(), 1), 1);
    const far = await expectError(await post("/api/invoices", manual(w.customerB.id, { issueDate: ahead, dueDate: addDays(ahead, 14) })), 409, "CONFIRMATION_REQUIRED");
    expect(far.fields?.issueDate).toContain(`more than a month after today (${today()})`);
    expect(far.fields?.issueDate).toContain(`${ahead.slice(0, 4)} series`);
    const back = addDays(addMonths(today(), -12), -1);
    const old = await expectError(await post("/api/invoices", manual(w.customerB.id, { issueDate: back, dueDate: addDays(back, 14), periodFrom: back, periodTo: back })), 409, "CONFIRMATION_REQUIRED");
    expect(old.fields?.issueDate).toMatch(/more than a year before today/);
    const y2099 = await expectError(await post("/api/invoices", manual(w.customerB.id, { issueDate: "2099-01-01", dueDate: "2099-01-15" })), 409, "CONFIRMATION_REQUIRED");
    expect(y2099.fields?.issueDate).toMatch(/2099 series/);
    expect(await invoiceCount(w.customerB.id)).toBe(before);

    // Inside the window: no question asked (both edges).
    for (const d of [addMonths(today(), 1), addMonths(today(), -12)]) {
      const res = await post("/api/invoices", manual(w.customerB.id, { issueDate: d, dueDate: addDays(d, 14), periodFrom: d, periodTo: d }));
      expect(res.status, `${d}: ${await res.clone().text()}`).toBe(201);
    }
    const confirmed = await post("/api/invoices", manual(w.customerB.id, { issueDate: ahead, dueDate: addDays(ahead, 14), confirmIssueDate: true }));
    expect(confirmed.status, await confirmed.clone().text()).toBe(201);
    expect(((await confirmed.json()) as InvoiceDetail).number).toMatch(new RegExp(`-${ahead.slice(0, 4)}-\\d{6}$`));
  });

  it("a zero total (0.0001 × 0.333333 rounds to 0.00) is confirmed first; both reasons come together", async () => {
    const before = await invoiceCount(w.customerA.id);
    const zero = { items: [item("0.0001", "0.333333")] };
    const err = await expectError(await post("/api/invoices", manual(w.customerA.id, zero)), 409, "CONFIRMATION_REQUIRED");
    expect(err.fields?.total).toMatch(/total is €0\.00/);
    const both = await expectError(await post("/api/invoices", manual(w.customerA.id, { ...zero, issueDate: "2099-01-01", dueDate: "2099-01-15" })), 409, "CONFIRMATION_REQUIRED");
    expect(Object.keys(both.fields ?? {}).sort()).toEqual(["issueDate", "total"]);
    expect(await invoiceCount(w.customerA.id)).toBe(before);
    const ok = await post("/api/invoices", manual(w.customerA.id, { ...zero, confirmZeroTotal: true }));
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(((await ok.json()) as InvoiceDetail).totalMinor).toBe(0);
  });
});

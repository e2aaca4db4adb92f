import { beforeAll, describe, expect, it } from "vitest";
import type { CardHealth, CardStatusRow } from "../../../worker/contract/card-status";
import { eq } from "drizzle-orm";
import { cardDeclines } from "../../../worker/db/schema";
import { autoPaymentOn, declines, issuedInvoice, monthFromNow, preferOffline, savedCard } from "../../card-fixtures";
import { testNow } from "../../clock";
import { parseCsv } from "../../csv";
import { createOrg, createSubscription, createWorld, db, type World } from "../../factories";
import { callerAs, expectAudit, type Call } from "../../helpers";

type Page = { items: CardStatusRow[]; total: number };
let w: World;
let admin: Call;
beforeAll(async () => {
  w = await createWorld();
  admin = await callerAs(w.admin.id);
});

const rowOf = async (call: Call, orgId: string): Promise<CardStatusRow | undefined> =>
  ((await (await call("GET", `/api/billing/credit-card-status?orgId=${orgId}`)).json()) as Page).items[0];

describe("Credit Card Status", () => {
  it("shows each organization's card on file, its state, declines and payment preference", async () => {
    const active = await savedCard(w.customerA.id, { brand: "mastercard", last4: "4444", expiresIn: 12 });
    await autoPaymentOn(w.customerA.id, active.id);
    await declines(active.fingerprint, 1, { reason: "Your card has insufficient funds." });
    await savedCard(w.direct.id, { status: "blocked", declines: 3 });
    await savedCard(w.customerB.id, { expiresIn: -1 });
    await preferOffline(w.resellerA.id);

    const a = await rowOf(admin, w.customerA.id);
    const exp = monthFromNow(12);
    expect(a).toMatchObject({ orgName: w.customerA.name, orgKind: "customer", profileStatus: "configured", cardStatus: "active", declineCount: 1, lastDeclineReason: "Your card has insufficient funds.", autoPayment: true, paymentMode: "online",
      card: { id: active.id, brand: "mastercard", brandLabel: "Master Card", last4: "4444", expMonth: exp.month, expYear: exp.year } });
    expect(await rowOf(admin, w.direct.id)).toMatchObject({ cardStatus: "blocked", declineCount: 3, profileStatus: "configured", autoPayment: false, lastDeclineReason: null });
    expect(await rowOf(admin, w.customerB.id)).toMatchObject({ cardStatus: "expired" });
    expect(await rowOf(admin, w.resellerA.id)).toMatchObject({ orgKind: "reseller", profileStatus: "not_configured", cardStatus: "none", card: null, paymentMode: "offline" });
    expect(await rowOf(admin, w.operator.id)).toBeUndefined(); // the operator has no billing profile
  });

  it("filters by status, profile and name, and pages", async () => {
    const org = await createOrg({ name: `Blocked Filter ${crypto.randomUUID().slice(0, 8)}` });
    await savedCard(org.id, { status: "blocked" });
    const res = await admin("GET", `/api/billing/credit-card-status?status=blocked&search=${encodeURIComponent(org.name)}`);
    const page = (await res.json()) as Page;
    expect(page.items.map((r) => r.orgId)).toEqual([org.id]);
    const none = (await (await admin("GET", `/api/billing/credit-card-status?status=active&search=${encodeURIComponent(org.name)}`)).json()) as Page;
    expect(none.total).toBe(0);
    const notConfigured = (await (await admin("GET", `/api/billing/credit-card-status?profile=not_configured&pageSize=1`)).json()) as Page;
    expect(notConfigured.items).toHaveLength(1);
    expect(notConfigured.items[0]!.profileStatus).toBe("not_configured");
    expect(notConfigured.total).toBeGreaterThanOrEqual(1);
  });

  it("a card is Blocked when its fingerprint is, even re-added as a new saved card", async () => {
    const org = await createOrg();
    const card = await savedCard(org.id);
    await declines(card.fingerprint, 3, { blocked: true, reason: "Do not honor" });
    expect(await rowOf(admin, org.id)).toMatchObject({ cardStatus: "blocked", declineCount: 3, lastDeclineReason: "Do not honor" });
    const page = (await (await admin("GET", `/api/billing/credit-card-status?status=blocked&orgId=${org.id}`)).json()) as Page;
    expect(page.total).toBe(1);
  });

  it("falls back to the newest saved card when none is the default, and ignores removed cards", async () => {
    const org = await createOrg();
    await savedCard(org.id, { status: "removed", isDefault: false, last4: "0001" });
    expect((await rowOf(admin, org.id))!.cardStatus).toBe("none");
    await savedCard(org.id, { isDefault: false, last4: "0002" });
    expect((await rowOf(admin, org.id))!.card!.last4).toBe("0002");
  });

  it("exports the filtered rows as CSV, streamed, with labels as on screen", async () => {
    const org = await createOrg({ name: `=HYPERLINK("x") ${crypto.randomUUID().slice(0, 8)}` });
    await savedCard(org.id, { status: "blocked", declines: 2, last4: "0341" });
    const res = await admin("GET", `/api/billing/credit-card-status/export.csv?orgId=${org.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="credit-card-status-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual(["Organization", "Organization Type", "Billing Profile Status", "Credit Card Status", "Card Brand", "Last 4", "Expiry", "Declines Counted", "Last Decline Reason", "Auto Payment", "Payment Preference"]);
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe(`'${org.name}`); // formula injection neutralised
    expect(rows[1]!.slice(1)).toEqual(["Customer", "Configured", "Blocked", "VISA", "0341", expect.stringMatching(/^\d{2}\/\d{4}$/), "2", "", "Off", "Online"]);
  });

  it("Unblock: billing staff lift a Blocked card with a reason (audited); its declines start again", async () => {
    const org = await createOrg();
    const card = await savedCard(org.id, { status: "blocked", declines: 3 });
    await declines(card.fingerprint, 3, { blocked: true });
    const res = await admin("POST", `/api/billing/cards/${card.id}/unblock`, { reason: "Customer called: the bank lifted the hold." });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ orgId: org.id, cardStatus: "active", declineCount: 0 });
    const [audit] = await expectAudit({ action: "payments.card.unblocked", targetId: card.id });
    expect(audit!.orgId).toBe(org.id);
    expect(audit!.diff).toContain("the bank lifted the hold");
    expect(audit!.actorUserId).toBe(w.admin.id);
    expect(await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get()).toMatchObject({ count: 0, blockedAt: null });
  });
});

describe("Card health", () => {
  it("lists expiring cards, blocked cards with unpaid invoices and subscriptions at risk, with the amount at stake", async () => {
    const now = testNow();
    const expiring = await createOrg();
    const sub = await createSubscription(expiring.id);
    const card = await savedCard(expiring.id, { expiresIn: 0 });
    await issuedInvoice(expiring.id, 9_900, { subscriptionId: sub.id, status: "paid" });
    const later = await createOrg();
    await savedCard(later.id, { expiresIn: 3 });
    const blocked = await createOrg();
    await savedCard(blocked.id, { status: "blocked" });
    await issuedInvoice(blocked.id, 12_000);
    await issuedInvoice(blocked.id, 500, { currency: "USD" });
    const noCard = await createOrg();
    const noCardSub = await createSubscription(noCard.id);
    await issuedInvoice(noCard.id, 4_000, { subscriptionId: noCardSub.id });
    const offline = await createOrg();
    await createSubscription(offline.id);
    await preferOffline(offline.id);

    const res = await admin("GET", "/api/billing/credit-card-status/health");
    expect(res.status).toBe(200);
    const h = (await res.json()) as CardHealth;
    const find = (list: CardHealth["expiring"], id: string) => list.find((r) => r.orgId === id);
    // A card stops working on the first day after its expiry month: "expiring" when that is within 30 days.
    const stops = Date.UTC(card.expYear, card.expMonth, 1);
    const soon = stops - now <= 30 * 86_400_000;
    expect(Boolean(find(h.expiring, expiring.id))).toBe(soon);
    if (soon) expect(find(h.expiring, expiring.id)).toMatchObject({ cardStatus: "active", runningSubscriptions: 1, atStake: [{ currency: "EUR", minor: 9_900, exponent: 2 }], expiresOn: new Date(stops).toISOString().slice(0, 10) });
    expect(find(h.expiring, later.id)).toBeUndefined();
    expect(find(h.blockedUnpaid, blocked.id)).toMatchObject({ unpaidInvoices: 2, atStake: [{ currency: "EUR", minor: 12_000 }, { currency: "USD", minor: 500 }] });
    // No card, a live subscription: unpaid 4,000 + its next renewal (its latest invoice, the same 4,000).
    expect(find(h.atRisk, noCard.id)).toMatchObject({ cardStatus: "none", runningSubscriptions: 1, unpaidInvoices: 1, atStake: [{ currency: "EUR", minor: 8_000 }] });
    expect(find(h.atRisk, offline.id)).toBeUndefined(); // pays offline: no card needed
    expect(find(h.atRisk, later.id)).toBeUndefined();
  });
});

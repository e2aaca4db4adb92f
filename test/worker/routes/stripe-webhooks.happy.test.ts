/**
 * Stripe webhooks, the storm: changes made at Stripe directly (card attached, updated by the card updater, a
 * SetupIntent confirmed, a card detached) reach us only as events. Every event is sent 10 times, shuffled; the
 * result is the same as applying each once: one row per card, each audit once, the detached card removed.
 */
import { eq, inArray } from "drizzle-orm";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult } from "../../../worker/contract/payments";
import { paymentEvents, paymentMethods } from "../../../worker/db/schema";
import { createWorld, db, type World } from "../../factories";
import { expectAudit, testClient } from "../../helpers";
import { control, LOCAL_STRIPE_KEYS, stripeClient } from "../../local-stripe";
import { addCard, enableStripe, freshCustomer } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await enableStripe(world.admin.id);
});

/** Seeded Fisher-Yates, so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function deliver(event: Stripe.Event, secret: string = LOCAL_STRIPE_KEYS.webhookSecret, timestamp?: number): Promise<Response> {
  const payload = JSON.stringify(event);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  return testClient().request("POST", "/api/webhooks/stripe", { rawBody: payload, headers: { "stripe-signature": header, origin: "https://stripe.com" } });
}

async function eventsAbout(ids: string[], since: number): Promise<Stripe.Event[]> {
  const list = await stripeClient().events.list({ limit: 100, created: { gte: since } });
  return list.data.filter((e) => ids.some((id) => JSON.stringify(e.data.object).includes(id)));
}

async function waitProcessed(ids: string[]): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const rows = await db().select().from(paymentEvents).where(inArray(paymentEvents.eventId, ids));
    if (rows.length === ids.length && rows.every((r) => r.processedAt !== null)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("events not processed in 15 s");
}

describe("webhook storm", () => {
  it("every event ×10, shuffled, has the effect of each event once", async () => {
    const { call, orgId } = await freshCustomer();
    const first = (await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>;
    const [row] = await db().select().from(paymentMethods).where(eq(paymentMethods.id, first.card.id));
    const customer = row!.gatewayCustomerId;
    const since = Math.floor(Date.now() / 1000) - 5;
    const sdk = stripeClient();
    // Changes made at Stripe, not through our API.
    const attached = await sdk.paymentMethods.attach("pm_card_mastercard", { customer });
    await control(`/__control/payment_methods/${attached.id}/automatically_update`, { exp_month: 7, exp_year: new Date().getUTCFullYear() + 6 });
    const si = await sdk.setupIntents.create({ customer, payment_method: "pm_card_amex", confirm: true, usage: "off_session" });
    await sdk.paymentMethods.detach(row!.gatewayPaymentMethodId);

    const events = await eventsAbout([customer, attached.id, row!.gatewayPaymentMethodId], since);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["payment_method.attached", "payment_method.automatically_updated", "setup_intent.succeeded", "payment_method.detached"]));
    const storm = shuffle(events.flatMap((e) => Array.from({ length: 10 }, () => e)), 20261127);
    const answers = await Promise.all(storm.map((e) => deliver(e)));
    expect(answers.map((r) => r.status).every((s) => s === 200)).toBe(true);
    await waitProcessed(events.map((e) => e.id));

    const cards = await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId));
    const byPm = new Map(cards.map((c) => [c.gatewayPaymentMethodId, c]));
    expect(cards).toHaveLength(3);
    expect(byPm.get(row!.gatewayPaymentMethodId)!.status).toBe("removed");
    expect(byPm.get(attached.id)).toMatchObject({ status: "active", brand: "mastercard", expMonth: 7 });
    expect(byPm.get(si.payment_method as string)).toMatchObject({ status: "active", brand: "amex" });
    // The detached card was the default: in any order of events, exactly one remaining valid card took its place.
    expect(cards.filter((c) => c.isDefault).map((c) => c.status)).toEqual(["active"]);
    await expectAudit({ orgId, action: "payments.card.added" }, 3);
    const stored = await db().select().from(paymentEvents).where(inArray(paymentEvents.eventId, events.map((e) => e.id)));
    expect(stored).toHaveLength(events.length);
  });
});

/** Signed Stripe events from the local Stripe, delivered to our webhook and waited for until applied. */
import { inArray } from "drizzle-orm";
import Stripe from "stripe";
import { expect } from "vitest";
import { paymentEvents } from "../worker/db/schema";
import { db } from "./factories";
import { testClient } from "./helpers";
import { LOCAL_STRIPE_KEYS, stripeClient } from "./local-stripe";

export async function deliver(event: Stripe.Event, secret = LOCAL_STRIPE_KEYS.webhookSecret): Promise<Response> {
  const payload = JSON.stringify(event);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  return testClient().request("POST", "/api/webhooks/stripe", { rawBody: payload, headers: { "stripe-signature": header, origin: "https://stripe.com" } });
}

/** The local Stripe's events about one PaymentIntent, oldest first. */
export async function eventsOf(piId: string, type?: string): Promise<Stripe.Event[]> {
  const list = await stripeClient().events.list({ limit: 100, ...(type ? { type } : {}) });
  return list.data.filter((e) => e.type.startsWith("payment_intent.") && (e.data.object as { id: string }).id === piId).reverse();
}

export async function deliverAll(events: Stripe.Event[]): Promise<void> {
  for (const e of events) expect((await deliver(e)).status).toBe(200);
  const ids = events.map((e) => e.id);
  for (let i = 0; i < 150; i++) {
    const rows = await db().select().from(paymentEvents).where(inArray(paymentEvents.eventId, ids));
    if (rows.length === new Set(ids).size && rows.every((r) => r.processedAt !== null)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("events not processed in 15 s");
}

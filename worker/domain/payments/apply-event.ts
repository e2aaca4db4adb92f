/**
 * Applies one stored webhook event, exactly once and in any order: the event only says WHICH object changed; we
 * refetch that object from Stripe and converge our row to its current state (storeCard is unique on the payment
 * method, updates are idempotent), then stamp `processed_at` conditionally. A duplicate or late event therefore
 * finds nothing left to do. Payment Intent events go to collection's handler, passed in by the consumer (payments
 * may not import collection, which depends on it); dispute and refund events are stored.
 */
import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { paymentCustomers, paymentEvents, paymentMethods } from "../../db/schema";
import { cardSummary } from "../../integrations/payments/stripe";
import type { DomainContext } from "../context";
import { cardSettings } from "./card-settings";
import { promoteDefaultStatement, storeCard } from "./cards";
import { atomically } from "../../db/atomic";
import { deductionMinor } from "./validity-deduction";
import { activeStripe } from "./gateway-store";
import { DomainError } from "../../errors";

async function orgOfCustomer(ctx: DomainContext, customerId: string | null): Promise<{ orgId: string; gatewayCustomerId: string } | undefined> {
  if (!customerId) return undefined;
  const row = await ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.gateway, "stripe"), eq(paymentCustomers.gatewayCustomerId, customerId))).get();
  return row ? { orgId: row.orgId, gatewayCustomerId: row.gatewayCustomerId } : undefined;
}

/** Our row converges to the payment method's current state at Stripe. */
async function syncPaymentMethod(ctx: DomainContext, pm: Stripe.PaymentMethod): Promise<string> {
  const row = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.gateway, "stripe"), eq(paymentMethods.gatewayPaymentMethodId, pm.id))).get();
  const customer = typeof pm.customer === "string" ? pm.customer : (pm.customer?.id ?? null);
  if (!row) {
    const owner = await orgOfCustomer(ctx, customer);
    if (!owner || !pm.card) return "ignored: not one of our customers' cards";
    const settings = await cardSettings(ctx);
    // With the Validity Deduction on, a card is saved only after its deduction succeeded: Add a Card does that.
    if (deductionMinor(settings) > 0) return "left to Add a Card (Validity Deduction)";
    await storeCard(ctx, { orgId: owner.orgId, gateway: "stripe", gatewayCustomerId: owner.gatewayCustomerId, card: cardSummary(pm), cardholderName: pm.billing_details?.name ?? null, linkMultiple: settings.linkMultipleAccounts }).catch((err: unknown) => {
      if (!(err instanceof DomainError)) throw err; // a shared card refused by "Link Multiple Accounts": not stored
    });
    return "card stored";
  }
  if (!customer || customer !== row.gatewayCustomerId) {
    if (row.status === "removed") return "already removed";
    const now = ctx.clock.now();
    await atomically(ctx.db, [
      ctx.db.update(paymentMethods).set({ status: "removed", isDefault: false, updatedAt: now }).where(eq(paymentMethods.id, row.id)),
      // The detached card may have been the default: another valid card takes its place, as when removed here.
      promoteDefaultStatement(row.orgId, now),
    ]);
    return "card removed (detached at Stripe)";
  }
  if (!pm.card) return "unchanged";
  const c = cardSummary(pm);
  await ctx.db.update(paymentMethods).set({ brand: c.brand, last4: c.last4, expMonth: c.expMonth, expYear: c.expYear, updatedAt: ctx.clock.now() }).where(eq(paymentMethods.id, row.id));
  return "card updated";
}

/** Collection's reading of a PaymentIntent (worker/domain/collection/resolve.ts `reconcilePaymentIntent`). */
export type PaymentIntentHandler = (ctx: DomainContext, gatewayPaymentId: string) => Promise<string>;

async function applyObject(ctx: DomainContext, sdk: Stripe, type: string, objectId: string, onPaymentIntent?: PaymentIntentHandler): Promise<string> {
  if (type.startsWith("payment_intent.") && onPaymentIntent) return onPaymentIntent(ctx, objectId);
  if (type.startsWith("setup_intent.")) {
    const si = await sdk.setupIntents.retrieve(objectId, { expand: ["payment_method"] });
    if (si.status !== "succeeded" || !si.payment_method || typeof si.payment_method === "string") return `setup ${si.status}`;
    return syncPaymentMethod(ctx, si.payment_method);
  }
  if (type.startsWith("payment_method.")) return syncPaymentMethod(ctx, await sdk.paymentMethods.retrieve(objectId));
  return "stored for collection";
}

export async function applyPaymentEvent(ctx: DomainContext, gateway: "stripe" | "adpay", eventId: string, onPaymentIntent?: PaymentIntentHandler): Promise<string> {
  const event = await ctx.db.select().from(paymentEvents).where(and(eq(paymentEvents.gateway, gateway), eq(paymentEvents.eventId, eventId))).get();
  if (!event || event.processedAt !== null) return "nothing to do";
  let outcome = "stored for collection";
  if (gateway === "stripe") {
    const stripe = await activeStripe(ctx);
    if (!stripe) throw new Error("Stripe is not active: the event waits for the gateway to be verified again");
    outcome = await applyObject(ctx, stripe.gateway.sdk, event.type, event.objectId, onPaymentIntent).catch((err: { code?: string }) => {
      if (err?.code === "resource_missing") return "object not found at Stripe"; // deleted since: nothing to converge to
      throw err;
    });
  }
  await ctx.db.update(paymentEvents).set({ processedAt: ctx.clock.now(), outcome }).where(and(eq(paymentEvents.gateway, gateway), eq(paymentEvents.eventId, eventId), isNull(paymentEvents.processedAt)));
  return outcome;
}

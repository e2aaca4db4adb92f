/**
 * Billing test fixtures: catalogue, contract and subscription rows with unique ids, a domain context with a
 * capturing email queue, and the consumer runner that delivers captured emails to the SMTP sink.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { newId } from "../worker/db/ids";
import { contracts, organizations, planProducts, plans, products, resourceSubscriptions, resources, taxRules, taxRuleVersions, usageRecords } from "../worker/db/schema";
import { fixedClock } from "../worker/integrations/clock";
import { testCtx } from "./context";
import type { EmailMessage } from "../worker/contract/messages";
import worker from "../worker/index";
import { createOrg, createUser, db } from "./factories";
import { monthStart, noon, testNow } from "./clock";

const unique = () => crypto.randomUUID().slice(0, 8);

/** A system context on a movable clock stopped at `now`, capturing the emails it enqueues. */
export const billingCtx = (now = noon(0)) => testCtx({ clock: fixedClock(now) });

export async function deliver(messages: EmailMessage[]) {
  const batch = createMessageBatch<EmailMessage>("cumulus-email", messages.map((body, i) => ({ id: `msg-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  return getQueueResult(batch, ctx);
}

export async function createProduct(opts: { model?: "fixed" | "payg"; unit?: string; price: [number, number]; taxable?: boolean; name?: string }) {
  const now = testNow();
  const row = { id: newId("product"), name: opts.name ?? `Product ${unique()}`, description: null, model: opts.model ?? "fixed", unit: opts.unit ?? "month",
    priceAmount: opts.price[0], priceScale: opts.price[1], taxable: opts.taxable ?? true, status: "active" as const, createdAt: now, updatedAt: now };
  await db().insert(products).values(row);
  return row;
}

/**
 * A customer organization (country as given) with a primary contact, and a subscription on a plan of `productIds`,
 * anchored on `anchor` (default: the first of last month, by the suite's clock) under a contract that starts on
 * January 1st of the anchor's year.
 */
export async function billedCustomer(opts: {
  country?: string; productIds: string[]; model?: "fixed" | "payg"; interval?: "month" | "quarter" | "year"; anchor?: string;
  status?: "trial" | "live"; trialEndsAt?: string | null; expiryDate?: string | null;
}) {
  const org = await createOrg({ kind: "customer", country: opts.country ?? "GB" });
  const contact = await createUser({ orgId: org.id, role: "customer" });
  await db().update(organizations).set({ primaryUserId: contact.id }).where(eq(organizations.id, org.id));
  const now = testNow();
  const anchor = opts.anchor ?? monthStart(-1, now);
  const plan = { id: newId("plan"), name: `Plan ${unique()}`, description: null, status: "active" as const, createdAt: now, updatedAt: now };
  const contract = { id: newId("contract"), orgId: org.id, planId: plan.id, startDate: `${anchor.slice(0, 4)}-01-01`, expiryDate: opts.expiryDate ?? null, status: "active" as const, createdAt: now, updatedAt: now };
  const sub = {
    id: newId("subscription"), orgId: org.id, contractId: contract.id, name: `Sub ${unique()}`, model: opts.model ?? "fixed", billingInterval: opts.interval ?? "month",
    anchorDate: anchor, status: opts.status ?? "live", trialEndsAt: opts.trialEndsAt ?? null, billedThrough: null, createdAt: now, updatedAt: now,
  } as const;
  const resource = { id: newId("resource"), orgId: org.id, subscriptionId: sub.id, type: "virtual_machine" as const, name: `vm-${unique()}`, region: "eu-west-1", status: "active" as const, createdAt: now, updatedAt: now };
  await db().batch([
    db().insert(plans).values(plan),
    ...opts.productIds.map((p) => db().insert(planProducts).values({ planId: plan.id, productId: p })),
    db().insert(contracts).values(contract),
    db().insert(resourceSubscriptions).values(sub),
    db().insert(resources).values(resource),
  ] as unknown as Parameters<ReturnType<typeof db>["batch"]>[0]);
  return { org, contact, plan, contract, sub, resource };
}

export async function addUsage(sub: { id: string; orgId: string }, productId: string, resourceId: string | null, date: string, quantity: [number, number]) {
  await db().insert(usageRecords).values({ id: newId("usage"), orgId: sub.orgId, subscriptionId: sub.id, resourceId, productId, quantityValue: quantity[0], quantityScale: quantity[1],
    usageDate: date, idempotencyKey: `u:${crypto.randomUUID()}`, createdAt: testNow() });
}

/** A tax rule straight into the tables (route tests exercise the API). Countries are unique per test: "Q" + 1 letter is never real. */
export async function taxRule(country: string, ratePpm: number, opts: { name?: string; effectiveFrom?: string; status?: "active" | "suspended" } = {}) {
  const now = testNow();
  const id = newId("taxRule");
  await db().batch([
    db().insert(taxRules).values({ id, name: opts.name ?? `VAT ${unique()}`, country, status: opts.status ?? "active", createdAt: now, updatedAt: now }),
    db().insert(taxRuleVersions).values({ id: newId("taxRuleVersion"), ruleId: id, ratePpm, effectiveFrom: opts.effectiveFrom ?? "2020-01-01", createdAt: now }),
  ]);
  return id;
}

/** A made-up country per test (not ISO: the DB does not care), so tax rules of parallel tests never meet. */
export const uniqueCountry = () => `T-${unique()}`;

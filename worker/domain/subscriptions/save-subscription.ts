import { and, eq } from "drizzle-orm";
import { SubscriptionInput, type Subscription } from "../../contract/catalogue";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { contracts, resourceSubscriptions, resources } from "../../db/schema";
import { conflict, DomainError, notFound, validationFailed } from "../../errors";
import { auditIfChanged, auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { getSubscription } from "./get-subscription";

type Parsed = ReturnType<typeof SubscriptionInput.parse>;

async function contractFor(ctx: ActorContext, contractId: string) {
  const c = await ctx.db.select().from(contracts).where(eq(contracts.id, contractId)).get();
  if (!c) throw validationFailed({ contractId: "Choose a contract." });
  return c;
}

function checkResourceNames(input: Parsed) {
  const seen = new Set<string>();
  input.resources.forEach((r, i) => {
    const key = r.name.toLowerCase();
    if (seen.has(key)) throw validationFailed({ [`resources.${i}.name`]: "Two resources have this name." });
    seen.add(key);
  });
}

const auditView = (s: { name: string; model: string; billingInterval: string; anchorDate: string; status: string; trialEndsAt: string | null; contractId: string }) => ({
  name: s.name, contract: s.contractId, model: s.model, billingCycle: s.billingInterval, anchorDate: s.anchorDate, status: s.status, trialEndsAt: s.trialEndsAt,
});

/** Creates a Resource Subscription on an active contract; the organization is the contract's. */
export async function createSubscription(args: { ctx: ActorContext; input: SubscriptionInput }): Promise<Subscription> {
  const input = SubscriptionInput.parse(args.input);
  const { ctx } = args;
  const contract = await contractFor(ctx, input.contractId);
  if (contract.status !== "active") throw validationFailed({ contractId: "This contract is not active." });
  if (input.anchorDate < contract.startDate) throw validationFailed({ anchorDate: `The anchor date cannot be before the contract starts (${contract.startDate}).` });
  if (contract.expiryDate && input.anchorDate >= contract.expiryDate) throw validationFailed({ anchorDate: `The contract expires on ${contract.expiryDate}.` });
  checkResourceNames(input);
  const now = ctx.clock.now();
  const id = newId("subscription", now);
  await atomically(ctx.db, [
    ctx.db.insert(resourceSubscriptions).values({
      id, orgId: contract.orgId, contractId: contract.id, name: input.name, model: input.model, billingInterval: input.billingInterval,
      anchorDate: input.anchorDate, status: input.status, trialEndsAt: input.trialEndsAt, billedThrough: null, createdAt: now, updatedAt: now,
    }),
    ...input.resources.map((r) =>
      ctx.db.insert(resources).values({ id: newId("resource", now), orgId: contract.orgId, subscriptionId: id, type: r.type, name: r.name, region: r.region, status: r.status, createdAt: now, updatedAt: now }),
    ),
    auditStatement(ctx, {
      action: "subscription.created", orgId: contract.orgId, targetType: "resource_subscription", targetId: id,
      after: { ...auditView({ ...input, contractId: contract.id }), resources: input.resources.map((r) => `${r.name} (${r.type}, ${r.region}, ${r.status})`) },
    }),
  ]);
  return getSubscription({ ctx, id });
}

/**
 * Edits a Resource Subscription.
 *
 * Once it has been invoiced (`billed_through` set), its billing cycle, anchor date and contract are LOCKED:
 * periods already invoiced were cut from them, and a new cycle would overlap or leave a gap. The request is
 * refused (409 SCHEDULE_LOCKED) with a field message; to bill differently, end this subscription and create a
 * new one from `billed_through`. Name, status, trial end and resources stay editable. Resources are never
 * deleted (invoices refer to them): they move to `terminated`; resources missing from the input stay as they are.
 */
export async function updateSubscription(args: { ctx: ActorContext; id: string; input: SubscriptionInput }): Promise<Subscription> {
  const input = SubscriptionInput.parse(args.input);
  const { ctx, id } = args;
  const before = await ctx.db.select().from(resourceSubscriptions).where(eq(resourceSubscriptions.id, id)).get();
  if (!before) throw notFound("Resource Subscription");
  if (before.billedThrough) {
    const fields: Record<string, string> = {};
    const why = `Already invoiced through ${before.billedThrough}: this can no longer change.`;
    if (input.billingInterval !== before.billingInterval) fields.billingInterval = why;
    if (input.anchorDate !== before.anchorDate) fields.anchorDate = why;
    if (input.contractId !== before.contractId) fields.contractId = why;
    if (input.model !== before.model) fields.model = why;
    if (Object.keys(fields).length) throw new DomainError("SCHEDULE_LOCKED", "This subscription has been invoiced: its billing cycle, anchor date, model and contract are locked.", fields);
  }
  if (input.contractId !== before.contractId) {
    const contract = await contractFor(ctx, input.contractId);
    if (contract.orgId !== before.orgId) throw validationFailed({ contractId: "Choose a contract of the same organization." });
    if (contract.status !== "active") throw validationFailed({ contractId: "This contract is not active." });
  }
  checkResourceNames(input);
  const existing = await ctx.db.select().from(resources).where(eq(resources.subscriptionId, id));
  const byId = new Map(existing.map((r) => [r.id, r]));
  const now = ctx.clock.now();
  const guard = (sql: string, params: unknown[]): RawStatement =>
    rawStatement(`${sql} AND EXISTS (SELECT 1 FROM resource_subscriptions WHERE id = ? AND updated_at = ?)`, [...params, id, now]);
  const resourceStatements: RawStatement[] = [];
  const resourceChanges: string[] = [];
  input.resources.forEach((r, i) => {
    if (r.id) {
      const old = byId.get(r.id);
      if (!old) throw validationFailed({ [`resources.${i}.id`]: "This resource does not belong to the subscription." });
      if (old.type === r.type && old.name === r.name && old.region === r.region && old.status === r.status) return;
      resourceStatements.push(guard("UPDATE resources SET type = ?, name = ?, region = ?, status = ?, updated_at = ? WHERE id = ?", [r.type, r.name, r.region, r.status, now, r.id]));
      resourceChanges.push(`${old.name}: ${old.status} → ${r.name} (${r.type}, ${r.region}, ${r.status})`);
    } else {
      resourceStatements.push(
        rawStatement(
          "INSERT INTO resources (id, org_id, subscription_id, type, name, region, status, created_at, updated_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM resource_subscriptions WHERE id = ? AND updated_at = ?)",
          [newId("resource", now), before.orgId, id, r.type, r.name, r.region, r.status, now, now, id, now],
        ),
      );
      resourceChanges.push(`added ${r.name} (${r.type}, ${r.region}, ${r.status})`);
    }
  });
  const [update] = await atomically(ctx.db, [
    ctx.db
      .update(resourceSubscriptions)
      .set({ contractId: input.contractId, name: input.name, model: input.model, billingInterval: input.billingInterval, anchorDate: input.anchorDate, status: input.status, trialEndsAt: input.trialEndsAt, updatedAt: now })
      .where(and(eq(resourceSubscriptions.id, id), eq(resourceSubscriptions.updatedAt, before.updatedAt))),
    auditIfChanged(ctx, {
      action: "subscription.updated", orgId: before.orgId, targetType: "resource_subscription", targetId: id,
      before: { ...auditView(before), resources: null },
      after: { ...auditView({ ...input, contractId: input.contractId }), resources: resourceChanges.length ? resourceChanges : null },
    }),
    ...resourceStatements,
  ]);
  if (!update?.meta.changes) throw conflict("This subscription was changed by someone else. Reload and try again.");
  return getSubscription({ ctx, id });
}

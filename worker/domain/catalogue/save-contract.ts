import { and, eq } from "drizzle-orm";
import { ContractInput, type Contract } from "../../contract/catalogue";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { contracts, organizations, plans } from "../../db/schema";
import { conflict, notFound, validationFailed } from "../../errors";
import { auditIfChanged, auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { getContract } from "./list-contracts";

/** A contract is for a customer or a reseller organization (not the operator), on an existing plan. */
async function checkRefs(ctx: ActorContext, input: { orgId: string; planId: string }, opts: { requireActivePlan: boolean }) {
  const org = await ctx.db.select({ kind: organizations.kind, name: organizations.name }).from(organizations).where(eq(organizations.id, input.orgId)).get();
  if (!org || org.kind === "operator") throw validationFailed({ orgId: "Choose a customer or reseller organization." });
  const plan = await ctx.db.select({ status: plans.status, name: plans.name }).from(plans).where(eq(plans.id, input.planId)).get();
  if (!plan) throw validationFailed({ planId: "Choose a plan." });
  if (opts.requireActivePlan && plan.status !== "active") throw validationFailed({ planId: "This plan is retired: choose an active plan." });
  return { orgName: org.name, planName: plan.name };
}

export async function createContract(args: { ctx: ActorContext; input: ContractInput }): Promise<Contract> {
  const input = ContractInput.parse(args.input);
  const { ctx } = args;
  const names = await checkRefs(ctx, input, { requireActivePlan: true });
  const now = ctx.clock.now();
  const id = newId("contract", now);
  await atomically(ctx.db, [
    ctx.db.insert(contracts).values({ id, orgId: input.orgId, planId: input.planId, startDate: input.startDate, expiryDate: input.expiryDate, status: input.status, createdAt: now, updatedAt: now }),
    auditStatement(ctx, {
      action: "contract.created", orgId: input.orgId, targetType: "contract", targetId: id,
      after: { organization: names.orgName, plan: names.planName, startDate: input.startDate, expiryDate: input.expiryDate, status: input.status },
    }),
  ]);
  return getContract({ ctx, id });
}

/** Edits plan, dates and status. The organization of a contract never changes (its subscriptions belong to it). */
export async function updateContract(args: { ctx: ActorContext; id: string; input: ContractInput }): Promise<Contract> {
  const input = ContractInput.parse(args.input);
  const { ctx, id } = args;
  const before = await ctx.db.select().from(contracts).where(eq(contracts.id, id)).get();
  if (!before) throw notFound("Contract");
  if (input.orgId !== before.orgId) throw validationFailed({ orgId: "A contract cannot move to another organization: create a new contract." });
  const names = await checkRefs(ctx, input, { requireActivePlan: input.planId !== before.planId });
  const beforeView = await getContract({ ctx, id });
  const now = ctx.clock.now();
  const [update] = await atomically(ctx.db, [
    ctx.db
      .update(contracts)
      .set({ planId: input.planId, startDate: input.startDate, expiryDate: input.expiryDate, status: input.status, updatedAt: now })
      .where(and(eq(contracts.id, id), eq(contracts.updatedAt, before.updatedAt))),
    auditIfChanged(ctx, {
      action: "contract.updated", orgId: before.orgId, targetType: "contract", targetId: id,
      before: { plan: beforeView.plan.name, startDate: before.startDate, expiryDate: before.expiryDate, status: before.status },
      after: { plan: names.planName, startDate: input.startDate, expiryDate: input.expiryDate, status: input.status },
    }),
  ]);
  if (!update?.meta.changes) throw conflict("This contract was changed by someone else. Reload and try again.");
  return getContract({ ctx, id });
}

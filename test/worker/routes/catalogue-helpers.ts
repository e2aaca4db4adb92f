/** Inputs of the catalogue route tests: products, a plan and contract for an organization, subscriptions. */
import type { Contract, Plan, Product } from "../../../worker/contract/catalogue";
import { monthStart, testNow, today } from "../../clock";
import type { Caller } from "../../helpers";

// Contracts start ten months before the suite's "today" (test/clock.ts) and run two months past it.
export const NOW = testNow();
export const START = monthStart(-10, NOW);
export const day = (days: number) => today(days, NOW);

export const product = (over: Record<string, unknown> = {}) => ({ name: `vCPU ${crypto.randomUUID().slice(0, 6)}`, description: "Compute", model: "payg", unit: "vCPU-hour", unitPrice: "0.012500", taxable: true, status: "active", ...over });

/** A product, a plan with it and a contract on that plan for `orgId`, created by `me`. */
export async function catalogue(me: Caller, orgId: string) {
  const p = (await (await me.post("/api/products", product())).json()) as Product;
  const plan = (await (await me.post("/api/plans", { name: "Plan X", status: "active", productIds: [p.id] })).json()) as Plan;
  const contract = (await (await me.post("/api/contracts", { orgId, planId: plan.id, startDate: START, expiryDate: monthStart(2, NOW), status: "active" })).json()) as Contract;
  return { p, plan, contract };
}

export const subInput = (contractId: string, over: Record<string, unknown> = {}) => ({
  contractId, name: `Sub ${crypto.randomUUID().slice(0, 6)}`, model: "payg", billingInterval: "month", anchorDate: monthStart(-9, NOW), status: "live", trialEndsAt: null,
  resources: [{ type: "virtual_machine", name: "vm-1", region: "eu-west-1", status: "active" }], ...over,
});

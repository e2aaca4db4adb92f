/** Catalogue (products, plans) and contracts. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { CONTRACT_STATUSES, type ContractInput, type PlanInput, type ProductInput } from "../../worker/contract/catalogue";
import { client, enc, unwrap, type Success } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

export const getProducts = query(() => unwrap(client.api.products.$get()).then((r) => r.items), "catalogue.products");
export const getPlans = query(() => unwrap(client.api.plans.$get()).then((r) => r.items), "catalogue.plans");

export const saveProduct = action(async (id: string | null, input: ProductInput) => {
  const saved = id ? await unwrap(client.api.products[":id"].$put({ param: { id: enc(id) }, json: input })) : await unwrap(client.api.products.$post({ json: input }));
  return json(saved, { revalidate: ["catalogue.products", "catalogue.plans"] });
}, "saveProduct");

export const savePlan = action(async (id: string | null, input: PlanInput) => {
  const saved = id ? await unwrap(client.api.plans[":id"].$put({ param: { id: enc(id) }, json: input })) : await unwrap(client.api.plans.$post({ json: input }));
  return json(saved, { revalidate: ["catalogue.plans", "catalogue.products"] });
}, "savePlan");

export interface ContractListParams {
  orgId?: string;
  status?: (typeof CONTRACT_STATUSES)[number];
  page: number;
  pageSize: number;
}
export function contractListParams(search: SearchParams): ContractListParams {
  return { orgId: stringParam(search.orgId), status: enumParam(search.status, CONTRACT_STATUSES), page: pageParam(search.page), pageSize: 25 };
}
export const getContracts = query((p: ContractListParams) => unwrap(client.api.contracts.$get({ query: p })), "contracts.list");

export const saveContract = action(async (id: string | null, input: ContractInput) => {
  const saved = id ? await unwrap(client.api.contracts[":id"].$put({ param: { id: enc(id) }, json: input })) : await unwrap(client.api.contracts.$post({ json: input }));
  return json(saved, { revalidate: ["contracts.list", "catalogue.plans", "subs."] });
}, "saveContract");

const orgOptions = client.api.billing["organization-options"];
export type OrgOption = Success<Awaited<ReturnType<typeof orgOptions.$get>>>["items"][number];
/** Organizations for billing pickers (needs billing.read only, unlike the Organizations screen). */
export const getOrgOptions = query(
  (p: { q?: string; kind?: "customer" | "reseller"; include?: string }) => unwrap(orgOptions.$get({ query: p })).then((r) => r.items),
  "billing.orgOptions",
);

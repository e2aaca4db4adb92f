/** Catalogue (products, plans) and contracts. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import type { Contract, ContractInput, Plan, PlanInput, Product, ProductInput } from "../../worker/contract/catalogue";
import type { Page } from "../../worker/contract/dto";
import { api } from "./client";
import { pageParam, stringParam } from "./params";

export const getProducts = query(() => api.get<{ items: Product[] }>("/products").then((r) => r.items), "catalogue.products");
export const getPlans = query(() => api.get<{ items: Plan[] }>("/plans").then((r) => r.items), "catalogue.plans");

export const saveProduct = action(async (id: string | null, input: ProductInput) => {
  const saved = id ? await api.put<Product>(`/products/${encodeURIComponent(id)}`, input) : await api.post<Product>("/products", input);
  return json(saved, { revalidate: ["catalogue.products", "catalogue.plans"] });
}, "saveProduct");

export const savePlan = action(async (id: string | null, input: PlanInput) => {
  const saved = id ? await api.put<Plan>(`/plans/${encodeURIComponent(id)}`, input) : await api.post<Plan>("/plans", input);
  return json(saved, { revalidate: ["catalogue.plans", "catalogue.products"] });
}, "savePlan");

export interface ContractListParams {
  orgId?: string;
  status?: string;
  page: number;
  pageSize: number;
}
export function contractListParams(search: SearchParams): ContractListParams {
  return { orgId: stringParam(search.orgId), status: stringParam(search.status), page: pageParam(search.page), pageSize: 25 };
}
export const getContracts = query((p: ContractListParams) => api.get<Page<Contract>>("/contracts", { ...p }), "contracts.list");

export const saveContract = action(async (id: string | null, input: ContractInput) => {
  const saved = id ? await api.put<Contract>(`/contracts/${encodeURIComponent(id)}`, input) : await api.post<Contract>("/contracts", input);
  return json(saved, { revalidate: ["contracts.list", "catalogue.plans", "subs."] });
}, "saveContract");

export interface OrgOption {
  id: string;
  name: string;
  kind: "operator" | "reseller" | "customer";
  country: string;
}
/** Organizations for billing pickers (needs billing.read only, unlike the Organizations screen). */
export const getOrgOptions = query(
  (p: { q?: string; kind?: "customer" | "reseller"; include?: string }) => api.get<{ items: OrgOption[] }>("/billing/organization-options", { ...p }).then((r) => r.items),
  "billing.orgOptions",
);

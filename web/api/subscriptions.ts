/** Resource Subscriptions and their usage. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import type { Subscription, SubscriptionInput, UsageRecord } from "../../worker/contract/catalogue";
import type { Page } from "../../worker/contract/dto";
import { api } from "./client";
import { pageParam, stringParam } from "./params";

export interface SubListParams {
  q?: string;
  orgId?: string;
  status?: string;
  model?: string;
  page: number;
  pageSize: number;
}
export function subListParams(search: SearchParams): SubListParams {
  return { q: stringParam(search.q), orgId: stringParam(search.orgId), status: stringParam(search.status), model: stringParam(search.model), page: pageParam(search.page), pageSize: 25 };
}

export const getSubscriptions = query((p: SubListParams) => api.get<Page<Subscription>>("/subscriptions", { ...p }), "subs.list");
export const getSubscription = query((id: string) => api.get<Subscription>(`/subscriptions/${encodeURIComponent(id)}`), "subs.detail");

export interface UsagePage extends Page<UsageRecord> {
  summary: Array<{ productId: string; productName: string; unit: string; month: string; quantity: string }>;
  /** The billing currency the unit prices are in. */
  currency: string;
}
export const getUsage = query((id: string, page: number) => api.get<UsagePage>(`/subscriptions/${encodeURIComponent(id)}/usage`, { page, pageSize: 50 }), "subs.usage");

export const saveSubscription = action(async (id: string | null, input: SubscriptionInput) => {
  const saved = id ? await api.put<Subscription>(`/subscriptions/${encodeURIComponent(id)}`, input) : await api.post<Subscription>("/subscriptions", input);
  return json(saved, { revalidate: ["subs.list", "subs.detail", "orgs.detail", "contracts.list"] });
}, "saveSubscription");

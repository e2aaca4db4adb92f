/** Resource Subscriptions and their usage. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { PRODUCT_MODELS, SUBSCRIPTION_STATUSES, type SubscriptionInput } from "../../worker/contract/catalogue";
import { client, enc, unwrap, type Success } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

const subs = client.api.subscriptions;

export interface SubListParams {
  q?: string;
  orgId?: string;
  status?: (typeof SUBSCRIPTION_STATUSES)[number];
  model?: (typeof PRODUCT_MODELS)[number];
  page: number;
  pageSize: number;
}
export function subListParams(search: SearchParams): SubListParams {
  return { q: stringParam(search.q), orgId: stringParam(search.orgId), status: enumParam(search.status, SUBSCRIPTION_STATUSES), model: enumParam(search.model, PRODUCT_MODELS), page: pageParam(search.page), pageSize: 25 };
}

export const getSubscriptions = query((p: SubListParams) => unwrap(subs.$get({ query: p })), "subs.list");
export const getSubscription = query((id: string) => unwrap(subs[":id"].$get({ param: { id: enc(id) } })), "subs.detail");

/** A page of usage records, the monthly summary per product, and the billing currency the unit prices are in. */
export type UsagePage = Success<Awaited<ReturnType<(typeof subs)[":id"]["usage"]["$get"]>>>;
export const getUsage = query((id: string, page: number) => unwrap(subs[":id"].usage.$get({ param: { id: enc(id) }, query: { page, pageSize: 50 } })), "subs.usage");

export const saveSubscription = action(async (id: string | null, input: SubscriptionInput) => {
  const saved = id ? await unwrap(subs[":id"].$put({ param: { id: enc(id) }, json: input })) : await unwrap(subs.$post({ json: input }));
  return json(saved, { revalidate: ["subs.list", "subs.detail", "orgs.detail", "contracts.list"] });
}, "saveSubscription");

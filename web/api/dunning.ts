/** Dunning: the signed-in organization's standing (banner, pay-only screen). docs/decisions/018-dunning.md */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { DUNNING_STATES } from "../../worker/contract/dunning";
import { client, enc, unwrap, type Success } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

const settings = client.api.billing["dunning-settings"];

/** The signed-in organization's standing, as the route's schema (`DunningStandingSchema`) says. */
export type DunningStanding = Success<Awaited<ReturnType<typeof client.api.account.dunning.$get>>>;
export type DunningSettings = Success<Awaited<ReturnType<typeof settings.$get>>>;
export type DunningPolicy = DunningSettings["policy"];
export type DunningPreview = DunningSettings["preview"];

export const getDunningStanding = query(() => unwrap(client.api.account.dunning.$get()), "dunning.standing");

export const getDunningSettings = query(() => unwrap(settings.$get()), "dunning.settings");

/** What saving this policy would do today (nothing is saved; only the form shows the answer). */
export const previewDunning = action(async (policy: DunningPolicy) => json(await unwrap(settings.preview.$post({ json: policy })), { revalidate: [] }), "previewDunning");

export const saveDunning = action(async (policy: DunningPolicy) => json(await unwrap(settings.$put({ json: policy })), { revalidate: "dunning.settings" }), "saveDunning");

/** Billing & Reports >> Customer Billing >> Dunning: the list's filters live in the URL. */
export const DUNNING_PAGE_SIZE = 25;
const PHASES = DUNNING_STATES.filter((s) => s !== "current");

export interface DunningListParams {
  state?: (typeof DUNNING_STATES)[number];
  search?: string;
  page: number;
  pageSize: number;
}

export function dunningListParams(search: SearchParams): DunningListParams {
  return { state: enumParam(search.state, PHASES), search: stringParam(search.search), page: pageParam(search.page), pageSize: DUNNING_PAGE_SIZE };
}

export const getDunningCases = query((p: DunningListParams) => unwrap(client.api.billing.dunning.$get({ query: p })), "dunning.list");
export const getDunningCase = query((orgId: string) => unwrap(client.api.billing.dunning[":orgId"].$get({ param: { orgId: enc(orgId) } })), "dunning.case");

/** Pause until a date (promise to pay) or exempt (`until: null`), with a reason; audited by the API. */
export const pauseDunning = action(async (orgId: string, input: { until: string | null; reason: string }) => {
  const saved = await unwrap(client.api.billing.dunning[":orgId"].pause.$post({ param: { orgId: enc(orgId) }, json: input }));
  return json(saved, { revalidate: ["dunning.list", "dunning.case"] });
}, "pauseDunning");

export const resumeDunning = action(async (orgId: string) => {
  const saved = await unwrap(client.api.billing.dunning[":orgId"].resume.$post({ param: { orgId: enc(orgId) } }));
  return json(saved, { revalidate: ["dunning.list", "dunning.case"] });
}, "resumeDunning");

/** The customer asks for more time (days, reason); staff decide on the case page. */
export const requestExtension = action(async (input: { days: number; reason: string }) => {
  const saved = await unwrap(client.api.account.dunning.extension.$post({ json: input }));
  return json(saved, { revalidate: ["dunning.standing"] });
}, "requestExtension");

/** Approve (the case pauses until the day asked for) or decline (with the reason the customer is told). */
export const approveExtension = action(async (orgId: string) => {
  const saved = await unwrap(client.api.billing.dunning[":orgId"].extension.approve.$post({ param: { orgId: enc(orgId) } }));
  return json(saved, { revalidate: ["dunning.list", "dunning.case"] });
}, "approveExtension");

export const declineExtension = action(async (orgId: string, input: { reason: string }) => {
  const saved = await unwrap(client.api.billing.dunning[":orgId"].extension.decline.$post({ param: { orgId: enc(orgId) }, json: input }));
  return json(saved, { revalidate: ["dunning.list", "dunning.case"] });
}, "declineExtension");

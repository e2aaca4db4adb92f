/** Dunning: the signed-in organization's standing (banner, pay-only screen). docs/decisions/018-dunning.md */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { DUNNING_STATES, type ExtensionRequestView } from "../../worker/contract/dunning";
import { client, enc, unwrap } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

export interface DunningStanding {
  state: "current" | "grace" | "warning" | "suspended" | "delete_notice" | "terminated";
  amountOverdueMinor: number;
  currency: string | null;
  suspended: boolean;
  nextState: string | null;
  nextAt: number | null;
  suspensionAt: number | null;
  terminationAt: number | null;
  /** The case's latest request for more time (docs/decisions/018a-dunning-extensions-and-dev-clock.md). */
  extension: ExtensionRequestView | null;
  canRequestExtension: boolean;
}

export const getDunningStanding = query(async (): Promise<DunningStanding> => (await unwrap(client.api.account.dunning.$get())) as DunningStanding, "dunning.standing");

export interface DunningPolicy {
  grace: { enabled: boolean; days: number };
  warning: { enabled: boolean; days: number };
  suspended: { enabled: boolean; days: number };
  delete_notice: { enabled: boolean; days: number };
  warningEveryDays: number;
}
export interface DunningPreview {
  wouldEnter: Partial<Record<DunningStanding["state"], number>>;
  openCases: number;
}
export interface DunningSettings {
  policy: DunningPolicy;
  updatedAt: string | null;
  preview: DunningPreview;
}

export const getDunningSettings = query(async (): Promise<DunningSettings> => (await unwrap(client.api.billing["dunning-settings"].$get())) as DunningSettings, "dunning.settings");
/** What saving this policy would do today (nothing is saved; only the form shows the answer). */
export const previewDunning = action(async (policy: DunningPolicy) => {
  const preview = (await unwrap(client.api.billing["dunning-settings"].preview.$post({ json: policy }))) as DunningPreview;
  return json(preview, { revalidate: [] });
}, "previewDunning");

export const saveDunning = action(async (policy: DunningPolicy) => {
  const saved = (await unwrap(client.api.billing["dunning-settings"].$put({ json: policy }))) as DunningSettings;
  return json(saved, { revalidate: "dunning.settings" });
}, "saveDunning");

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

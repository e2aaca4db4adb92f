/** Dunning: the signed-in organization's standing (banner, pay-only screen). docs/decisions/018-dunning.md */
import { query } from "@solidjs/router";
import { client, unwrap } from "./client";

export interface DunningStanding {
  state: "current" | "grace" | "warning" | "suspended" | "delete_notice" | "terminated";
  amountOverdueMinor: number;
  currency: string | null;
  suspended: boolean;
  nextState: string | null;
  nextAt: number | null;
  suspensionAt: number | null;
  terminationAt: number | null;
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
export const previewDunning = async (policy: DunningPolicy): Promise<DunningPreview> => (await unwrap(client.api.billing["dunning-settings"].preview.$post({ json: policy }))) as DunningPreview;
export const saveDunning = async (policy: DunningPolicy): Promise<DunningSettings> => (await unwrap(client.api.billing["dunning-settings"].$put({ json: policy }))) as DunningSettings;

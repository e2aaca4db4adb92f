/** Dunning: the signed-in organization's standing (banner, pay-only screen). docs/decisions/018-dunning.md */
import { query } from "@solidjs/router";
import { api } from "./client";

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

export const getDunningStanding = query(() => api.get<DunningStanding>("/account/dunning"), "dunning.standing");

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

export const getDunningSettings = query(() => api.get<DunningSettings>("/billing/dunning-settings"), "dunning.settings");
export const previewDunning = (policy: DunningPolicy) => api.post<DunningPreview>("/billing/dunning-settings/preview", policy);
export const saveDunning = (policy: DunningPolicy) => api.put<DunningSettings>("/billing/dunning-settings", policy);

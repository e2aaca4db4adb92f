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

/**
 * The Dunning Process as the API and the portal see it (runtime-neutral). docs/decisions/018-dunning.md.
 */
import { z } from "zod";

const Phase = z.object({
  enabled: z.boolean(),
  days: z.number().int().min(1, "At least 1 day").max(365, "At most 365 days"),
});

export const DunningPolicySchema = z.object({
  grace: Phase,
  warning: Phase,
  suspended: Phase,
  delete_notice: Phase,
  warningEveryDays: z.number().int().min(1, "At least every day").max(30, "At most every 30 days"),
});

export type DunningPolicyInput = z.infer<typeof DunningPolicySchema>;

export const DUNNING_STATES = ["current", "grace", "warning", "suspended", "delete_notice", "terminated"] as const;

export const DUNNING_STATE_LABELS: Record<(typeof DUNNING_STATES)[number], string> = {
  current: "Current",
  grace: "Grace Period",
  warning: "Warning Notification",
  suspended: "Account Suspension",
  delete_notice: "Delete Notification",
  terminated: "Terminated",
};

/** The API's answer when a suspended organization's user tries anything but paying (HTTP 423). */
export const ACCOUNT_SUSPENDED_CODE = "ACCOUNT_SUSPENDED";

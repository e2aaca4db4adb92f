/**
 * The Dunning Process as the API and the portal see it (runtime-neutral). docs/decisions/018-dunning.md.
 */
import { z } from "zod";
import { pageSchema } from "./dto";
import { PageQuerySchema, ReasonSchema } from "./schemas";

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
/** The cron trigger that runs only the dunning sweep (wrangler.toml [triggers]; worker/index.ts). */
export const DUNNING_CRON = "*/5 * * * *";

export const ACCOUNT_SUSPENDED_CODE = "ACCOUNT_SUSPENDED";

const State = z.enum(DUNNING_STATES);

export const DunningPreviewSchema = z.object({
  wouldEnter: z.partialRecord(State, z.number().int()),
  openCases: z.number().int(),
});

export const DunningSettingsSchema = z.object({
  policy: DunningPolicySchema,
  updatedAt: z.string().nullable(),
  preview: DunningPreviewSchema,
});

/** Limits on a customer's request for more time (docs/decisions/018a-dunning-extensions-and-dev-clock.md). */
export const EXTENSION_MAX_DAYS = 30;

export const EXTENSION_STATUSES = ["open", "approved", "declined", "lapsed"] as const;

export const ExtensionRequestSchema = z.object({
  id: z.string(),
  days: z.number().int(),
  reason: z.string(),
  status: z.enum(EXTENSION_STATUSES),
  requestedAt: z.number(),
  requestedBy: z.string(),
  decidedAt: z.number().nullable(),
  /** Approved: dunning is paused until this instant (start of a UTC day). */
  until: z.number().nullable(),
  /** Declined: why. */
  decisionNote: z.string().nullable(),
});
export type ExtensionRequestView = z.infer<typeof ExtensionRequestSchema>;

/** The customer's request: how many more days and why. */
export const RequestExtensionInput = z.object({
  days: z.number({ error: "Enter a number of days." }).int("Enter whole days.").min(1, "At least 1 day.").max(EXTENSION_MAX_DAYS, `At most ${EXTENSION_MAX_DAYS} days.`),
  reason: ReasonSchema,
});

/** Staff decline a request with the reason the customer is told. */
export const DeclineExtensionInput = z.object({
  reason: ReasonSchema,
});

export const DunningCaseSchema = z.object({
  orgId: z.string(),
  state: State,
  since: z.number(),
  anchor: z.number().nullable(),
  nextState: State.nullable(),
  nextAt: z.number().nullable(),
  amountOverdueMinor: z.number().int(),
  currency: z.string().nullable(),
  suspended: z.boolean(),
  pausedUntil: z.number().nullable(),
  pauseReason: z.string().nullable(),
  policy: DunningPolicySchema.nullable(),
  timeline: z.array(z.object({ state: State, at: z.number(), status: z.enum(["past", "current", "scheduled"]) })),
  caseSeq: z.number().int(),
  version: z.number().int(),
  /** The organization's name, for the Dunning screen's heading. */
  orgName: z.string(),
  /** The case's latest request for more time (open, or how it was decided); null when none was made. */
  extension: ExtensionRequestSchema.nullable(),
});

/** The signed-in user's organization (banner, pay-only screen). */
export const DunningStandingSchema = z.object({
  state: State, amountOverdueMinor: z.number().int(), currency: z.string().nullable(), suspended: z.boolean(), nextState: State.nullable(),
  nextAt: z.number().nullable(), suspensionAt: z.number().nullable(), terminationAt: z.number().nullable(),
  /** The case's latest request for more time, if any. */
  extension: ExtensionRequestSchema.nullable(),
  /** Whether a request may be made now (Warning Notification or later, not paused, none open). */
  canRequestExtension: z.boolean(),
});

export const DunningListSchema = pageSchema(z.object({
  orgId: z.string(), orgName: z.string(), orgKind: z.string(), state: State, since: z.number(), nextState: State.nullable(),
  nextAt: z.number().nullable(), amountOverdueMinor: z.number().int(), currency: z.string().nullable(), pausedUntil: z.number().nullable(),
  pauseReason: z.string().nullable(), paused: z.boolean(),
}));

export const DunningListQuery = PageQuerySchema.extend({
  state: State.optional(),
  search: z.string().trim().max(100).optional(),
  all: z.enum(["true", "false"]).optional(),
});

export const PauseDunningInput = z.object({
  /** `YYYY-MM-DD`: resume on that day; null = exempt until resumed. */
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date.").nullable(),
  reason: ReasonSchema,
});

/**
 * What a suspended organization's users may still do besides reading: sign in and out, account security
 * (password, MFA, passkeys, sessions) and paying: Payment Info (adding or choosing the card to pay with) and the
 * payment routes of the card/Pay now/ADPAY channels (under /api/payments/). Everything else that writes answers
 * ACCOUNT_SUSPENDED.
 */
export const SUSPENDED_WRITABLE_PREFIXES = ["/api/auth/", "/api/account/", "/api/payment-info/", "/api/payments/"] as const;

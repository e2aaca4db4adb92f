/** Display formatting shared by the pages. Timestamps arrive as ISO-8601 UTC, calendar dates as YYYY-MM-DD. */
import { countryName as countryNameIn } from "../worker/contract/countries";
import type { OrgKind, SubscriptionSummary } from "../worker/contract/dto";
import { DASH, formatDate as formatDateIn, formatDateTime as formatDateTimeIn } from "../worker/contract/format";

export { DASH, formatQuantity, formatUnitPrice, sentence } from "../worker/contract/format";

export function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`.trim();
}

/** A moment, in the reader's language and time zone (worker/contract/format.ts: the same helper the emails use). */
export function formatDateTime(iso: string | null | undefined): string {
  return formatDateTimeIn(iso);
}

/** A calendar date (or the date part of a timestamp), in the reader's language, without shifting it into their time zone. */
export function formatDate(value: string | null | undefined): string {
  return formatDateIn(value);
}

/** "US" → "United States" in the reader's language; anything that is not a region code is shown as it is. */
export function countryName(code: string): string {
  return code ? countryNameIn(code) : DASH;
}

export const ORG_KIND_LABELS: Record<OrgKind, string> = { operator: "Operator", reseller: "Reseller", customer: "Customer" };

export const MODEL_LABELS: Record<SubscriptionSummary["model"], string> = { fixed: "Fixed", payg: "Pay-as-you-go" };

export const INTERVAL_LABELS: Record<SubscriptionSummary["billingInterval"], string> = {
  month: "Monthly",
  quarter: "Quarterly",
  year: "Yearly",
};

/** "active" → "Active" for status values shown as badges. */
export function titleCase(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, " ");
}

/** Tone of a status badge: good, bad, warn or neutral. */
export function statusTone(status: string): "good" | "bad" | "warn" | "neutral" {
  if (status === "active" || status === "live") return "good";
  if (status === "suspended" || status === "disabled" || status === "terminated") return "bad";
  if (status === "trial") return "warn";
  return "neutral";
}

/** Display formatting shared by the pages. Timestamps arrive as ISO-8601 UTC, calendar dates as YYYY-MM-DD. */
import type { OrgKind, SubscriptionSummary } from "../worker/contract/dto";

// Built on first use: constructing Intl formatters is not free, and the sign-in screen needs none.
let dateTime: Intl.DateTimeFormat | undefined;
let dateOnly: Intl.DateTimeFormat | undefined;
let regions: Intl.DisplayNames | undefined;

export const DASH = "—";

export function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`.trim();
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  dateTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** A calendar date (or the date part of a timestamp), shown without shifting it into the local time zone. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return DASH;
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  dateOnly ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
  return Number.isNaN(d.getTime()) ? value : dateOnly.format(d);
}

/** "US" → "United States"; anything that is not a region code is shown as it is. */
export function countryName(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code || DASH;
  try {
    regions ??= new Intl.DisplayNames(undefined, { type: "region" });
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
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

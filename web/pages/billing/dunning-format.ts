/** How the Dunning screens write phases, dates and amounts (docs/decisions/018-dunning.md). */
import { currency as currencyOf } from "../../../worker/contract/currencies";
import { DUNNING_STATE_LABELS } from "../../../worker/contract/dunning";
import { formatDate } from "../../../worker/contract/format";
import { formatMoney } from "../../../worker/contract/money";

export const dunningHref = (orgId: string) => `/billing/dunning/${encodeURIComponent(orgId)}`;

export const phaseLabel = (state: string) => DUNNING_STATE_LABELS[state as keyof typeof DUNNING_STATE_LABELS] ?? state;

export function phaseTone(state: string): "good" | "bad" | "warn" | "neutral" {
  if (state === "suspended" || state === "delete_notice" || state === "terminated") return "bad";
  if (state === "warning") return "warn";
  if (state === "current") return "good";
  return "neutral";
}

/** Phase boundaries are instants at the start of a UTC day (the case's anchor): shown as that day. */
export const when = (ms: number | null) => formatDate(ms, { timeZone: "UTC" });

export const overdue = (minor: number, currency: string | null) => {
  const code = currency ?? "EUR";
  return formatMoney(minor, code, currencyOf(code).exponent);
};

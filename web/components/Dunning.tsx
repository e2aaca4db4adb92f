/**
 * What dunning shows a customer or reseller (docs/decisions/018-dunning.md): the header banner during Warning
 * and Delete Notification (amount overdue, days left, a link to pay), and the pay-only screen that replaces the
 * portal while the account is suspended (sign-out and account security stay reachable).
 */
import { Show } from "solid-js";
import { currency as currencyOf } from "../../worker/contract/currencies";
import { formatMoney } from "../../worker/contract/money";
import type { DunningStanding } from "../api/dunning";
import type { Notice } from "./Notifications";

const DAY = 86_400_000;
export const PAY_HREF = "/billing/invoices";
/** "Ask for more time" (under /account, so reachable while suspended). */
export const MORE_TIME_HREF = "/account/more-time";
/** Paths a suspended organization's users can still open: paying (invoices) and their own account. */
export const SUSPENDED_PATHS = [PAY_HREF, "/account"];

const amount = (s: DunningStanding) => formatMoney(s.amountOverdueMinor, s.currency ?? "EUR", currencyOf(s.currency ?? "EUR").exponent);
const day = (ms: number | null) => (ms === null ? "" : new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }));
const daysLeft = (ms: number | null) => (ms === null ? 0 : Math.max(0, Math.ceil((ms - Date.now()) / DAY)));

/** Where the customer's request for more time stands, in one sentence ("" when there is none to tell). */
export function extensionStatus(s: DunningStanding): string {
  const x = s.extension;
  if (!x) return "";
  if (x.status === "open") return `Your request for ${x.days} more days is waiting for a decision.`;
  if (x.status === "approved") return `Your request for more time was approved: nothing more happens until ${day(x.until)}.`;
  if (x.status === "declined") return `Your request for more time was declined: ${x.decisionNote ?? ""}`;
  return "";
}

const moreTime = (s: DunningStanding) => (s.canRequestExtension ? { more: { label: "Ask for more time", href: MORE_TIME_HREF } } : {});
const withStatus = (s: DunningStanding, message: string) => [message, extensionStatus(s)].filter(Boolean).join(" ");

export function dunningNotices(s: DunningStanding | undefined): Notice[] {
  if (!s) return [];
  if (s.state === "warning") {
    const left = daysLeft(s.suspensionAt);
    return [{ id: "dunning", tone: "warning", message: withStatus(s, `${amount(s)} is overdue. Your account will be suspended in ${left} ${left === 1 ? "day" : "days"} (${day(s.suspensionAt)}) unless it is paid.`), action: { label: "Pay now", href: PAY_HREF }, ...moreTime(s) }];
  }
  if (s.state === "delete_notice") {
    return [{ id: "dunning", tone: "danger", message: withStatus(s, `Final notice: ${amount(s)} is overdue. Your resources will be terminated on ${day(s.terminationAt)} unless it is paid.`), action: { label: "Pay now", href: PAY_HREF }, ...moreTime(s) }];
  }
  if (s.state === "grace") {
    return [{ id: "dunning", tone: "info", message: `${amount(s)} is overdue.`, action: { label: "Pay now", href: PAY_HREF } }];
  }
  return [];
}

export function SuspendedScreen(props: { standing: DunningStanding }) {
  return (
    <section class="suspended-screen" aria-labelledby="suspended-title">
      <h1 id="suspended-title">{props.standing.state === "terminated" ? "Your resources have been terminated" : "Your account is suspended"}</h1>
      <p>
        {amount(props.standing)} is overdue.{" "}
        <Show when={props.standing.state !== "terminated" && props.standing.terminationAt}>
          Pay it to restore your account at once; otherwise its resources will be terminated on {day(props.standing.terminationAt)}.
        </Show>
      </p>
      <p>
        <a class="button button-primary" href={PAY_HREF}>Pay overdue invoices</a>
      </p>
      <Show when={extensionStatus(props.standing)}><p role="status">{extensionStatus(props.standing)}</p></Show>
      <Show when={props.standing.canRequestExtension}>
        <p>Need a few more days? <a href={MORE_TIME_HREF}>Ask for more time</a>.</p>
      </Show>
      <p>
        You can still <a href="/account">manage your account and its security</a> or sign out from the menu.
      </p>
    </section>
  );
}

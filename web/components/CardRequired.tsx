/**
 * "Enforce Credit Card" in the portal (docs/decisions/016c-card-settings.md): while the signed-in organization
 * must add a card and has none, every page but Payment Info and the user's own account opens Payment Info,
 * which explains why. The API refuses the writes anyway (CARD_REQUIRED); this spares the user the refusals.
 */
import { createEffect, type Accessor } from "solid-js";
import { createAsync, useLocation } from "@solidjs/router";
import type { SessionDto } from "../../worker/contract/dto";
import { getCardStanding } from "../api/payments";

export const PAYMENT_INFO_HREF = "/billing/payment-info";
/** Where a blocked organization's users may still go. */
const CARD_PATHS = [PAYMENT_INFO_HREF, "/account"];

export function useCardEnforcement(session: Accessor<SessionDto>): void {
  const location = useLocation();
  const standing = createAsync(() => (session().user.org.kind === "operator" ? Promise.resolve(undefined) : getCardStanding().catch(() => undefined)));
  createEffect(() => {
    if (!standing()?.blocked) return;
    const path = location.pathname;
    // A full load: Payment Info's document carries the CSP that admits the gateway's card fields (ADR 016).
    if (!CARD_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) window.location.assign(PAYMENT_INFO_HREF);
  });
}

/** Payment Info: the organization's cards, what Add a Card needs to load the gateway's fields, and the payment mode. */
import { eq } from "drizzle-orm";
import { formatMoney } from "../../contract/money";
import type { PaymentInfo } from "../../contract/payments";
import { paymentPreferences } from "../../db/schema";
import { stripeJsUrl } from "../../integrations/payments/stripe";
import type { ActorContext } from "../context";
import { getBillingCurrency } from "../wallet/currency";
import { cardRequired, cardSettings } from "./card-settings";
import { cardDto, listCardRows, ownOrg } from "./cards";
import { activeStripe } from "./gateway-store";

export async function getPaymentInfo(args: { ctx: ActorContext }): Promise<PaymentInfo> {
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  const [stripe, settings, rows, pref] = await Promise.all([
    activeStripe(ctx),
    cardSettings(ctx),
    listCardRows(ctx, orgId),
    ctx.db.select().from(paymentPreferences).where(eq(paymentPreferences.orgId, orgId)).get(),
  ]);
  const required = await cardRequired(ctx, orgId, settings);
  const now = ctx.clock.now();
  const cur = settings.validityDeduction ? await getBillingCurrency(ctx.db) : null;
  return {
    cardGateway: stripe ? { publishableKey: stripe.settings.publicKey, stripeJsUrl: stripeJsUrl(ctx.config), acceptedBrands: stripe.settings.acceptedBrands, securityBadge: stripe.settings.securityBadge } : null,
    cards: rows.map((r) => cardDto(r, now)),
    cardRequired: required,
    paymentMode: required ? "online" : (pref?.mode ?? "online"),
    validityDeduction: cur && settings.validityDeductionMinor > 0 ? formatMoney(settings.validityDeductionMinor, cur.code, cur.exponent) : null,
  };
}

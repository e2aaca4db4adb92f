import type { DomainContext } from "../context";

/** The customer's Payment Info page, the link in every card and payment email. */
export const paymentInfoUrl = (ctx: Pick<DomainContext, "config">) => `${ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "")}/billing/payment-info`;

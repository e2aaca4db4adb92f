/**
 * Payment Info: online (card) or offline (bank transfer, the operator's bank details on invoices). Offline is a
 * choice only when "Enforce Credit Card" does not apply to the organization.
 */
import { PaymentModeInput, type PaymentInfo } from "../../contract/payments";
import { atomically } from "../../db/atomic";
import { paymentPreferences } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { cardRequired } from "./card-settings";
import { ownOrg } from "./cards";
import { getPaymentInfo } from "./get-payment-info";

export async function setPaymentMode(args: { ctx: ActorContext; input: { mode: "online" | "offline" } }): Promise<PaymentInfo> {
  const { ctx } = args;
  const { mode } = PaymentModeInput.parse(args.input);
  const orgId = ownOrg(ctx);
  if (mode === "offline" && (await cardRequired(ctx, orgId))) {
    throw new DomainError("CONFLICT", "A valid credit card is required for your account, so offline payment cannot be chosen.", { mode: "Offline payment is not available while a card is required." });
  }
  const now = ctx.clock.now();
  await atomically(ctx.db, [
    ctx.db.insert(paymentPreferences).values({ orgId, mode, updatedAt: now }).onConflictDoUpdate({ target: paymentPreferences.orgId, set: { mode, updatedAt: now } }),
    auditStatement(ctx, { action: "payments.mode.changed", orgId, targetType: "organization", targetId: orgId, after: { mode } }),
  ]);
  return getPaymentInfo({ ctx });
}

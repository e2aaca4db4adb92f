/**
 * `POST /api/webhooks/adpay` (ADR 016b): the signed server-to-server callback. A bad or stale signature is refused
 * with 400 and written nowhere. The body only names the payment: its outcome is asked of the gateway and applied
 * (reconcile.ts), so a duplicate, a late or an out-of-order callback changes nothing twice. The work is one status
 * query, done before answering: if it fails the gateway retries the callback (with backoff), and the cron sweep
 * catches what the retries miss.
 */
import { DomainError } from "../../errors";
import { verifyAdpayCallback } from "../../integrations/payments/adpay";
import type { DomainContext } from "../context";
import { activeHostedGateway } from "./gateway";
import { paymentByGatewayId, reconcileHostedPayment } from "./reconcile";

const badSignature = () => new DomainError("VALIDATION_FAILED", "Callback signature verification failed.");

export async function receiveAdpayCallback(args: { ctx: DomainContext; rawBody: string; signature: string | null }): Promise<{ applied: boolean }> {
  const { ctx } = args;
  const gw = await activeHostedGateway(ctx);
  if (!gw || !(await verifyAdpayCallback(gw.secret, args.signature, args.rawBody))) throw badSignature();
  let paymentId = "";
  try {
    paymentId = String((JSON.parse(args.rawBody) as { payment?: { payment_id?: unknown } }).payment?.payment_id ?? "");
  } catch {
    throw badSignature();
  }
  const p = paymentId ? await paymentByGatewayId(ctx, paymentId) : undefined;
  // Not one of ours (another system on the same merchant account): acknowledged, nothing to do.
  if (!p) return { applied: false };
  await reconcileHostedPayment(ctx, p, gw);
  return { applied: true };
}

/**
 * Queue message bodies: ids and an idempotency key only (never rendered content, secrets or card data).
 * Runtime-neutral (zod only) so domain verbs that enqueue and the consumers in worker/queues/ share them.
 */
import { z } from "zod";

export const EmailMessage = z.object({
  type: z.literal("email.send"),
  outboxId: z.string().min(1),
  idempotencyKey: z.string().min(1),
});
export type EmailMessage = z.infer<typeof EmailMessage>;

/** One page of a billing run (worker/domain/billing/run.ts). */
export const BillingMessage = z.object({
  type: z.literal("billing.page"),
  runId: z.string().min(1),
});
export type BillingMessage = z.infer<typeof BillingMessage>;

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

/** One webhook event stored in the inbox (`payment_events`); the consumer refetches its object from the gateway. */
export const PaymentEventMessage = z.object({
  type: z.literal("payments.event"),
  gateway: z.enum(["stripe", "adpay"]),
  eventId: z.string().min(1).max(255),
});
export type PaymentEventMessage = z.infer<typeof PaymentEventMessage>;

/** Invoices to collect (docs/decisions/019-collection.md): one message per billing page or issued invoice, or the retry cron's batch. */
export const CollectMessage = z.object({
  type: z.literal("collect.invoices"),
  invoiceIds: z.array(z.string().min(1)).min(1).max(100),
  initiatedBy: z.enum(["auto", "retry"]),
});
export type CollectMessage = z.infer<typeof CollectMessage>;

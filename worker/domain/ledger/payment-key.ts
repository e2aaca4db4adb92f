/**
 * The payment a ledger posting of `settleInvoices` belongs to: its key is `payment:{paymentId}:{invoiceId}`
 * (worker/domain/collection/settle-batch.ts). Used to offer that payment's receipt next to the posting (the
 * invoice's payment history, Transaction Logs). Other postings have no payment: null.
 */
export const paymentIdOfPosting = (idempotencyKey: string): string | null => (idempotencyKey.startsWith("payment:") ? (idempotencyKey.split(":")[1] ?? null) : null);

/**
 * Which invoices a payment pays, and how much of each (docs/decisions/019-collection.md). Pure.
 *
 * - Allocations given (Capture Payment, Pay now): each invoice must be the organization's (else NOT_FOUND, the
 *   tenancy rule) and in the payment's currency.
 * - None given ("Pay all", a webhook without metadata): oldest unpaid invoice first, until the amount is used up.
 * - `strict` (the wallet: nothing has moved yet) refuses an invoice that is no longer unpaid or a share above
 *   what it still owes. Otherwise (card money already taken) such a share is not lost: it becomes the surplus,
 *   credited to the wallet as paid credit.
 */
import type { Allocation } from "../../contract/collection";
import { DomainError, notFound, validationFailed } from "../../errors";
import { notUnpaid } from "../invoices/cancel";

export interface OpenInvoice {
  id: string;
  orgId: string;
  number: string | null;
  status: string;
  currency: string;
  totalMinor: number;
  amountPaidMinor: number;
  issueDate: string;
}

export interface AllocationPlan {
  allocations: Allocation[];
  surplusMinor: number;
}

const dueOf = (inv: OpenInvoice) => (inv.status === "unpaid" ? inv.totalMinor - inv.amountPaidMinor : 0);

export function planAllocations(args: { orgId: string; currency: string; amountMinor: number; invoices: OpenInvoice[]; requested?: Allocation[]; strict: boolean }): AllocationPlan {
  const { amountMinor, invoices, requested } = args;
  if (!requested) return oldestFirst(amountMinor, invoices.filter((i) => i.orgId === args.orgId && i.status === "unpaid" && i.currency === args.currency));
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const allocations: Allocation[] = [];
  let left = amountMinor;
  for (const want of requested) {
    const inv = byId.get(want.invoiceId);
    if (!inv || inv.orgId !== args.orgId) throw notFound("Invoice");
    if (inv.currency !== args.currency) throw validationFailed({ currency: `Invoice ${inv.number ?? inv.id} is in ${inv.currency}, the payment in ${args.currency}.` });
    const due = dueOf(inv);
    if (args.strict && inv.status !== "unpaid") throw notUnpaid(inv.status);
    if (args.strict && want.amountMinor > due) throw new DomainError("CONFLICT", `Invoice ${inv.number ?? inv.id} owes less than that now; reload it and pay what is due.`);
    const share = Math.min(want.amountMinor, due, left);
    if (share > 0) allocations.push({ invoiceId: inv.id, amountMinor: share });
    left -= share;
  }
  if (args.strict && left > 0) throw validationFailed({ amountMinor: "The payment is more than its invoices' shares." });
  return { allocations, surplusMinor: left };
}

function oldestFirst(amountMinor: number, open: OpenInvoice[]): AllocationPlan {
  const sorted = [...open].sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.id < b.id ? -1 : 1));
  const allocations: Allocation[] = [];
  let left = amountMinor;
  for (const inv of sorted) {
    if (left === 0) break;
    const share = Math.min(left, dueOf(inv));
    if (share > 0) allocations.push({ invoiceId: inv.id, amountMinor: share });
    left -= share;
  }
  return { allocations, surplusMinor: left };
}

/** A wallet payment's sources split over its allocations in order (free credit grant by grant, then paid). */
export function splitWallet(allocations: Allocation[], sources: { fromGrants: Array<{ id: string; amountMinor: number }>; fromPaidMinor: number }) {
  const pool = [...sources.fromGrants.map((g) => ({ grantId: g.id as string | null, left: g.amountMinor })), { grantId: null, left: sources.fromPaidMinor }];
  return allocations.map((a) => {
    let need = a.amountMinor;
    let freeMinor = 0;
    let paidMinor = 0;
    for (const src of pool) {
      if (need === 0) break;
      const take = Math.min(need, src.left);
      src.left -= take;
      need -= take;
      if (src.grantId) freeMinor += take;
      else paidMinor += take;
    }
    if (need > 0) throw validationFailed({ wallet: "The wallet sources do not cover the allocations." });
    return { ...a, freeMinor, paidMinor };
  });
}

/** The billing route tests' world: a session per role and manual invoices issued through the API. */
import { beforeAll } from "vitest";
import { monthEnd, monthStart, testNow, today } from "../../clock";
import { createSession, createWorld, type World } from "../../factories";
import { postManualInvoice, testClient } from "../../helpers";

// "Now" is the suite's movable clock (test/clock.ts): every date in these tests is relative to it.
export const NOW = testNow();
export const c = testClient({ now: NOW });
export const day = (days: number) => today(days, NOW);

const cookies: Record<string, string> = {};
/** The Cookie header of the file's user `who`. */
export const as = (who: "admin" | "staffNone" | "staffRead" | "billingStaff" | "resellerA" | "resellerB" | "customerA" | "customerB") => cookies[who]!;

/** A manual invoice with one taxable and one untaxed line for this month; `over` replaces fields. */
export const manual = (orgId: string, over: Record<string, unknown> = {}) => ({
  for: "customer", orgId, status: "unpaid", issueDate: day(0), dueDate: day(14), periodFrom: monthStart(0, NOW), periodTo: monthEnd(0, NOW),
  items: [
    { description: "Migration services", quantity: "3", unitPrice: "120.50", taxable: true, unit: "hour" },
    { description: "Carbon offset", quantity: "1", unitPrice: "5", taxable: false },
  ],
  ...over,
});

/** The `manual` invoice, issued by the admin. */
export const createInvoice = (orgId: string, over: Record<string, unknown> = {}) => postManualInvoice(c, as("admin"), manual(orgId, over));

/** The file's world with a session per role, created once before its tests. */
export function useBillingDesk(): World {
  const w = {} as World;
  beforeAll(async () => {
    Object.assign(w, await createWorld());
    for (const [k, u] of Object.entries({ admin: w.admin, staffNone: w.staffNone, staffRead: w.staffRead, billingStaff: w.staffBilling, resellerA: w.resellerAUser, resellerB: w.resellerBUser, customerA: w.customerAUser, customerB: w.customerBUser })) {
      cookies[k] = await createSession(u.id);
    }
  });
  return w;
}

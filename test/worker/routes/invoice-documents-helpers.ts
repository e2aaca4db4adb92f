/**
 * The invoice-documents route tests' world: a seller (Invoice Details) and a 20 % rule for the buyers' country,
 * a session per role, and manual invoices issued on one fixed day.
 */
import { beforeAll, expect } from "vitest";
import { createSession, createWorld, type World } from "../../factories";
import { postManualInvoice, testClient } from "../../helpers";

export const c = testClient({ now: Date.UTC(2026, 10, 22, 12) });
const cookies: Record<string, string> = {};
/** The Cookie header of the file's user `who` (admin, staffRead, staffAll, customerA, customerB, resellerB). */
export const as = (who: string) => cookies[who]!;

export const SELLER = {
  legalName: "Cumulus Cloud Services Limited", addressLine1: "2 Grand Canal Square", addressLine2: "Docklands", postalCode: "D02 A342", city: "Dublin", country: "IE",
  taxId: "IE 6388047V", registrationNumber: "IE 654321", bankName: "AIB", iban: "IE29 AIBK 9311 5212 3456 78", bic: "AIBKIE2D", footer: "Registered in Ireland No. 654321.",
};
export const BUYER = { addressLine1: "1 Canada Square", postalCode: "E14 5AB", city: "London", country: "GB", taxId: "GB 123 4567 89" };

const manual = (orgId: string) => ({
  for: "customer", orgId, status: "unpaid", issueDate: "2026-11-22", dueDate: "2026-12-06", periodFrom: "2026-11-01", periodTo: "2026-11-30",
  items: [{ description: "Managed Kubernetes", quantity: "2", unitPrice: "100", taxable: true, unit: "month" }],
});

/** The one-line invoice above, issued by the admin. */
export const invoiceFor = (orgId: string) => postManualInvoice(c, as("admin"), manual(orgId));

/** The file's world, signed in, with the seller saved and the buyers' tax rule in force; created once before its tests. */
export function useInvoiceDocuments(): World {
  const w = {} as World;
  beforeAll(async () => {
    Object.assign(w, await createWorld());
    for (const [k, u] of Object.entries({ admin: w.admin, staffRead: w.staffRead, staffAll: w.staffAll, customerA: w.customerAUser, customerB: w.customerBUser, resellerB: w.resellerBUser })) {
      cookies[k] = await createSession(u.id);
    }
    expect((await c.request("PUT", "/api/billing/invoice-details", { cookie: as("admin"), body: SELLER })).status).toBe(200);
    // A 20 % rule for the buyers' country, so exemption has something to take away.
    expect((await c.request("POST", "/api/tax-rules", { cookie: as("admin"), body: { name: "UK VAT", country: "GB", ratePercent: "20", status: "active" } })).status).toBe(201);
  });
  return w;
}

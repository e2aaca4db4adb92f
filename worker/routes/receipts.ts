/**
 * The receipt PDF of a payment (docs/decisions/019b-card-health-and-self-pay.md): customers and resellers for
 * their own payments, staff with the billing privilege for any organization's (tenancy as for invoices).
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { userCtx } from "../domain/context";
import type { AppEnv } from "../env";
import { routeGroup } from "./define";

const route = routeGroup({ tags: ["Invoices"] });

const receipt = route.get("/api/payments/{id}/receipt.pdf", {
  policy: { audience: "tenant", privilege: "billing.read" },
  summary: "The receipt of a succeeded payment, as a PDF (payer, date, method, amount, each invoice's share, reference)",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: { content: { "application/pdf": { schema: z.string() } }, description: "The PDF" } },
});

export const receiptRoutes = new OpenAPIHono<AppEnv>().openapi(receipt, async (c) => {
  // The PDF writer loads on first use, not at Worker start-up.
  const { exportReceiptPdf } = await import("../domain/collection/receipt-pdf");
  const { filename, bytes } = await exportReceiptPdf({ ctx: userCtx(c), paymentId: c.req.valid("param").id });
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"` });
});

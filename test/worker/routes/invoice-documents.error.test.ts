/** The invoice PDF fails loudly, never with a broken file, when its fonts are missing from the static assets. */
import { describe, expect, it, vi } from "vitest";
import { assetFonts } from "../../../worker/domain/invoices/pdf/source";
import { db } from "../../factories";
import { invoiceFor, useInvoiceDocuments } from "./invoice-documents-helpers";

// The first PDF an isolate renders loads pdf-lib and fontkit (seconds on a busy machine).
vi.setConfig({ testTimeout: 30_000 });

const w = useInvoiceDocuments();

describe("the PDF", () => {
  it("fails loudly, not with a broken file, when the fonts are missing from the static assets", async () => {
    const inv = await invoiceFor(w.customerA.id);
    const missing = { fetch: async () => new Response("<!doctype html>", { headers: { "content-type": "text/html" } }) } as unknown as Fetcher;
    const { renderInvoicePdf } = await import("../../../worker/domain/invoices/pdf");
    // The manifest is cached per isolate; a missing slice is what a broken deployment would show.
    await expect(assetFonts(missing)("noto-sans-latin-400-normal.ttf")).rejects.toThrow(/missing from the static assets/);
    await expect(renderInvoicePdf({ db: db() }, inv, "Cumulus")).rejects.toThrow(/fonts are not available/);
  });
});

/**
 * The receipt PDF of one payment, drawn with the invoice PDF machinery (docs/decisions/013-invoice-documents.md:
 * PdfCanvas and the font slices, deterministic bytes): payer, date, method, amount, each invoice paid with its
 * share, and the payment reference. `GET /api/payments/{id}/receipt.pdf`.
 */
import { EMAIL_LOCALE, formatDate } from "../../contract/format";
import { formatMoney } from "../../contract/money";
import type { ActorContext } from "../context";
import type { FontSource } from "../invoices/pdf/source";
import { getReceipt, type Receipt } from "./receipt";

const L = 50;
const R = 545;

async function render(fonts: FontSource | undefined, r: Receipt, platformName: string): Promise<Uint8Array> {
  if (!fonts) throw new Error("Receipt fonts are not available in this context (no ASSETS binding).");
  const [{ PdfCanvas }, { FontSet }] = await Promise.all([import("../invoices/pdf/canvas"), import("../invoices/pdf/fonts")]);
  const set = await FontSet.open(fonts);
  await set.prepare(JSON.stringify([r, platformName]) + "ReceiptPayerDateMethodAmountInvoiceSharePaymentreference0123456789€$£¥•–");
  const money = (m: number) => formatMoney(m, r.currency, r.exponent);
  const date = formatDate(new Date(r.paidAt).toISOString(), { locale: EMAIL_LOCALE });
  const pdf = await PdfCanvas.create(set, { title: `Receipt ${r.reference}`, author: platformName, subject: `Payment receipt for ${r.payer}`, date: new Date(r.paidAt) });
  let y = pdf.height - 60;
  pdf.text(L, y, platformName, { size: 16, weight: 700 });
  pdf.text(R - 120, y, "RECEIPT", { size: 16, weight: 700 });
  y -= 40;
  const rows: Array<[string, string]> = [["Payer", r.payer], ["Date", date], ["Method", r.method], ["Amount", money(r.amountMinor)], ["Payment reference", r.reference]];
  for (const [k, v] of rows) {
    pdf.text(L, y, k, { size: 10, weight: 700 });
    pdf.text(L + 130, y, v, { size: 10 });
    y -= 16;
  }
  y -= 14;
  pdf.text(L, y, "Invoice", { size: 10, weight: 700 });
  pdf.text(R - 120, y, "Share", { size: 10, weight: 700 });
  y -= 6;
  pdf.line(L, y, R, y);
  for (const inv of r.invoices) {
    y -= 16;
    if (y < 80) {
      pdf.newPage();
      y = pdf.height - 60;
    }
    pdf.text(L, y, inv.number, { size: 10 });
    pdf.text(R - 120, y, money(inv.amountMinor), { size: 10 });
  }
  if (r.creditedMinor > 0) {
    y -= 16;
    pdf.text(L, y, "Credited to your wallet", { size: 10 });
    pdf.text(R - 120, y, money(r.creditedMinor), { size: 10 });
  }
  return pdf.save();
}

export async function exportReceiptPdf(args: { ctx: ActorContext; paymentId: string }): Promise<{ filename: string; bytes: Uint8Array }> {
  const r = await getReceipt(args);
  return { filename: `receipt-${r.reference.replace(/[^A-Za-z0-9_-]/g, "_")}.pdf`, bytes: await render(args.ctx.fonts, r, args.ctx.config.RP_NAME) };
}

/**
 * "Export Invoice": the invoice as a PDF, and the credit note issued when an invoice is cancelled. Both carry
 * what an EU VAT invoice needs (docs/decisions/013-invoice-documents.md): seller and buyer with postal
 * addresses and VAT numbers (as frozen at issue), number and dates, supply period, per line description,
 * quantity, unit price, rate and net amount, per rate the taxable amount and the tax, totals and currency, a tax
 * exemption's reason, the seller's company registration and bank details, and the footer text. Text in any
 * script prints through pdf/canvas.ts. Also the `invoice_pdf` email attachment renderer: the same function, so
 * the download and the attachment are the same bytes.
 */
import { and, eq } from "drizzle-orm";
import type { InvoiceDetail } from "../../contract/billing";
import { addressLines, bankLines, countryNameEn, type Party, type Seller } from "../../contract/invoice-details";
import { EMAIL_LOCALE, formatDate, formatQuantity } from "../../contract/format";
import { formatMoney } from "../../contract/money";
import type { AppDb } from "../../db/client";
import { creditNotes, organizations } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext, DomainContext } from "../context";
import type { AttachmentRenderer } from "../email/attachments";
import type { PdfCanvas, Rgb, TextStyle } from "./pdf/canvas";
import type { FontSource } from "./pdf/source";
import { getInvoice, loadInvoice } from "./read";

const STATUS = { draft: "DRAFT", unpaid: "UNPAID", paid: "PAID", cancelled: "CANCELLED" } as const;
const ACCENT: Rgb = [0.13, 0.36, 0.67];
const GREY: Rgb = [0.4, 0.4, 0.4];
const L = 50;
const R = 545;

type Kind = { type: "invoice" } | { type: "credit_note"; number: string; issueDate: string; reason: string };

/** The seller of invoices issued before Invoice Details existed: the operator organization as it is now. */
async function fallbackSeller(db: AppDb): Promise<Seller | null> {
  const op = await db.select().from(organizations).where(eq(organizations.kind, "operator")).limit(1).get();
  if (!op) return null;
  return {
    name: op.legalName ?? op.name, line1: op.addressLine1, line2: op.addressLine2, postalCode: op.postalCode, city: op.city, region: op.region, country: op.country,
    taxId: op.taxId, registrationNumber: null, email: op.email, phone: op.phone, bankName: null, iban: null, bic: null, accountNumber: null, routingNumber: null, footer: null,
  };
}

function partyLines(p: Party, seller: boolean): string[] {
  return [
    ...addressLines(p),
    p.taxId ? `VAT / Tax no.: ${p.taxId}` : "",
    seller && (p as Seller).registrationNumber ? `Company reg. no.: ${(p as Seller).registrationNumber}` : "",
    p.email ?? "",
    p.phone ?? "",
    !seller && p.attn ? `Attn: ${p.attn}` : "",
  ].filter(Boolean);
}

/** Every string the document may print, so the font slices for all of them are fetched up front in parallel. */
/** Dates print as the portal and the emails show them ("22 Nov 2026"), in UTC like the invoice's own dates. */
const day = (value: string) => formatDate(value, { locale: EMAIL_LOCALE });

function corpus(inv: InvoiceDetail, seller: Seller | null, platformName: string, kind: Kind): string {
  return JSON.stringify([inv, seller, platformName, kind]) + "INVOICECREDITNOTEStatusPaymentFromBilltoTaxexemptPageAttn:€$£¥₹–—…• JanFebMarAprMayJunJulAugSepOctNovDec";
}

/** The page being written and the cursor's height on it. */
type Sheet = { pdf: PdfCanvas; y: number };
type Doc = { inv: InvoiceDetail; seller: Seller | null; credit: boolean; kind: Kind; money: (minor: number) => string };
type Columns = { desc: number; qty: number; price: number; rate: number; amount: number };

/** Starts a new page when less than `space` is left above the bottom margin. */
function ensure(w: Sheet, space: number) {
  if (w.y - space < 60) {
    w.pdf.newPage();
    w.y = w.pdf.height - 60;
  }
}

/** Wrapped text; returns the y below it. */
function para(pdf: PdfCanvas, x: number, top: number, text: string, width: number, style: TextStyle & { leading?: number } = {}) {
  let yy = top;
  for (const line of pdf.wrap(text, width, style)) {
    pdf.text(x, yy, line, style);
    yy -= style.leading ?? (style.size ?? 10) + 3;
  }
  return yy;
}

/** Header, seller and buyer, document facts. */
function drawHead(w: Sheet, { inv, seller, credit, kind }: Doc, platformName: string) {
  const { pdf } = w;
  // Header: a mark, the platform name, the document type, its number and status.
  pdf.rect(L, w.y - 4, 22, 22, ACCENT);
  pdf.text(L + 6, w.y + 2, "C", { size: 16, weight: 700, color: [1, 1, 1] });
  pdf.text(L + 30, w.y + 2, platformName, { size: 16, weight: 700, color: ACCENT });
  pdf.text(R, w.y + 2, credit ? "CREDIT NOTE" : "INVOICE", { size: 20, weight: 700, align: "right" });
  w.y -= 26;
  pdf.text(R, w.y, credit && kind.type === "credit_note" ? kind.number : (inv.number ?? ""), { size: 11, weight: 700, align: "right" });
  w.y -= 14;
  if (!credit) {
    const color: Rgb = inv.status === "paid" ? [0.1, 0.5, 0.2] : inv.status === "cancelled" ? [0.6, 0.1, 0.1] : [0, 0, 0];
    pdf.text(R, w.y, `Status: ${STATUS[inv.status]}`, { size: 10, weight: 700, align: "right", color });
  }

  // Seller and buyer, each wrapped in its column (long names and "Attn" lines stay inside).
  w.y -= 24;
  const col = 235;
  pdf.text(L, w.y, "From", { size: 8, weight: 700, color: GREY });
  pdf.text(300, w.y, credit ? "Credit to" : "Bill to", { size: 8, weight: 700, color: GREY });
  let ys = w.y - 13;
  if (seller) {
    ys = para(pdf, L, ys, seller.name, col, { weight: 700 });
    for (const l of partyLines(seller, true)) ys = para(pdf, L, ys, l, col, { size: 9, leading: 12 });
  }
  let yb = w.y - 13;
  const buyer = inv.buyer;
  if (buyer) {
    yb = para(pdf, 300, yb, buyer.name, col, { weight: 700 });
    for (const l of partyLines(buyer, false)) yb = para(pdf, 300, yb, l, col, { size: 9, leading: 12 });
  }
  w.y = Math.min(ys, yb) - 16;

  // Document facts.
  const facts: Array<[string, string]> = kind.type === "credit_note"
    ? [
        ["Credit note number", kind.number],
        ["Issue date", day(kind.issueDate)],
        ["Credits invoice", `${inv.number ?? ""} of ${day(inv.issueDate)}`],
        ["Reason", kind.reason],
        ["Supply period", `${day(inv.periodFrom)} to ${day(inv.periodTo)}`],
        ["Currency", inv.currency],
      ]
    : [
        ["Invoice number", inv.number ?? ""],
        ["Issue date", day(inv.issueDate)],
        ["Due date", day(inv.dueDate)],
        ["Supply period", `${day(inv.periodFrom)} to ${day(inv.periodTo)}`],
        ...(inv.subscription ? ([["Resource Subscription", inv.subscription.name]] as Array<[string, string]>) : []),
        ["Currency", inv.currency],
      ];
  for (const [k, v] of facts) {
    pdf.text(L, w.y, k, { size: 9, color: GREY });
    w.y = para(pdf, L + 130, w.y, v, R - L - 130, { size: 9, leading: 13 });
  }
}

/** The lines table (its header repeats on every page); returns the columns for the totals. */
function drawLines(w: Sheet, { inv, money }: Doc): Columns {
  const { pdf } = w;
  // Lines: description (wrapped), quantity, unit price, tax rate, net amount.
  w.y -= 10;
  const c = { desc: L, qty: 350, price: 425, rate: 470, amount: R };
  const descWidth = 230;
  const header = () => {
    pdf.rect(L - 4, w.y - 4, R - L + 8, 16, [0.93, 0.95, 0.98]);
    pdf.text(c.desc, w.y, "Description", { size: 9, weight: 700 });
    pdf.text(c.qty, w.y, "Quantity", { size: 9, weight: 700, align: "right" });
    pdf.text(c.price, w.y, "Unit price", { size: 9, weight: 700, align: "right" });
    pdf.text(c.rate, w.y, "Tax", { size: 9, weight: 700, align: "right" });
    pdf.text(c.amount, w.y, "Net amount", { size: 9, weight: 700, align: "right" });
    w.y -= 18;
  };
  header();
  const rateText = (taxable: boolean) => (inv.taxExemptReason ? "exempt" : taxable && inv.taxes.length ? `${inv.taxRatePercent}%` : "0%");
  for (const line of inv.lines) {
    const desc = pdf.wrap(line.description, descWidth, { size: 9 });
    if (w.y - desc.length * 11 < 70) {
      pdf.newPage();
      w.y = pdf.height - 60;
      header();
    }
    pdf.text(c.qty, w.y, formatQuantity(line.quantity, line.unit), { size: 9, align: "right" });
    pdf.text(c.price, w.y, line.unitPrice, { size: 9, align: "right" });
    pdf.text(c.rate, w.y, rateText(line.taxable), { size: 9, align: "right" });
    pdf.text(c.amount, w.y, money(line.netMinor), { size: 9, align: "right" });
    for (const d of desc) {
      pdf.text(c.desc, w.y, d, { size: 9 });
      w.y -= 11;
    }
    if (line.periodFrom && line.periodTo) {
      pdf.text(c.desc + 8, w.y, `Period ${day(line.periodFrom)} to ${day(line.periodTo)}`, { size: 7.5, color: GREY });
      w.y -= 10;
    }
    for (const u of line.usage ?? []) {
      ensure(w, 12);
      pdf.text(c.desc + 8, w.y, `${day(u.date)}${u.resource ? `  ${u.resource}` : ""}: ${formatQuantity(u.quantity, line.unit)}`, { size: 7.5, color: GREY });
      w.y -= 10;
    }
    w.y -= 3;
  }
  return c;
}

/** Per rate: taxable amount and tax; the totals; exemption and cancellation notes; payment history. */
function drawTotals(w: Sheet, { inv, credit, money }: Doc, c: Columns) {
  const { pdf } = w;
  // Per rate: taxable amount and tax; then the totals.
  ensure(w, 90 + inv.taxes.length * 14);
  pdf.line(L, w.y + 6, R, w.y + 6);
  w.y -= 8;
  const total = (label: string, value: string, bold = false) => {
    pdf.text(c.price, w.y, label, { size: 10, weight: bold ? 700 : 400, align: "right" });
    pdf.text(c.amount, w.y, value, { size: 10, weight: bold ? 700 : 400, align: "right" });
    w.y -= 14;
  };
  total("Net total", money(inv.subtotalMinor));
  for (const t of inv.taxes) total(`${t.ruleName} ${t.ratePercent}% on ${money(t.taxableMinor)}`, money(t.taxMinor));
  if (inv.taxes.length === 0) total(inv.taxExemptReason ? "Tax (exempt)" : "Tax", money(0));
  total(credit ? "Total credited" : "Total", money(inv.totalMinor), true);
  if (!credit) {
    if (inv.amountPaidMinor) total("Paid", money(inv.amountPaidMinor));
    total("Amount due", money(inv.status === "unpaid" ? inv.totalMinor - inv.amountPaidMinor : 0), true);
  }
  if (inv.taxExemptReason) {
    w.y -= 4;
    ensure(w, 30);
    w.y = para(pdf, L, w.y, `Tax exempt: ${inv.taxExemptReason}`, R - L, { size: 9, weight: 700 });
  }

  if (!credit && inv.status === "cancelled" && inv.creditNote) {
    w.y -= 6;
    ensure(w, 20);
    w.y = para(pdf, L, w.y, `Cancelled: credit note ${inv.creditNote.number} of ${day(inv.creditNote.issueDate)} credits this invoice in full.`, R - L, { size: 9, color: [0.6, 0.1, 0.1] });
  }

  if (!credit && inv.payments.length) {
    w.y -= 10;
    ensure(w, 20 + inv.payments.length * 12);
    pdf.text(L, w.y, "Payment history", { size: 9, weight: 700 });
    w.y -= 13;
    for (const p of inv.payments) {
      pdf.text(L, w.y, `${day(p.at.slice(0, 10))}  ${p.kind.replace(/_/g, " ")}  ${p.reference ?? ""}`, { size: 8.5 });
      pdf.text(c.amount, w.y, money(p.amountMinor), { size: 8.5, align: "right" });
      w.y -= 12;
    }
  }
}

/** How to pay offline (unpaid invoices), the seller's footer and the closing note. */
function drawPaymentAndFooter(w: Sheet, { inv, seller, credit }: Doc, c: Columns) {
  const { pdf } = w;
  // How to pay offline (unpaid invoices), then the seller's footer.
  const bank = seller ? bankLines(seller) : [];
  if (!credit && inv.status === "unpaid" && bank.length) {
    w.y -= 10;
    ensure(w, 30 + bank.length * 12);
    pdf.text(L, w.y, "Payment by bank transfer", { size: 9, weight: 700 });
    w.y -= 13;
    for (const b of [...bank, `Reference: ${inv.number ?? ""}`, `Due date: ${day(inv.dueDate)}`]) {
      pdf.text(L, w.y, b, { size: 9 });
      w.y -= 12;
    }
  }
  w.y -= 12;
  if (seller?.footer) {
    ensure(w, 40);
    w.y = para(pdf, L, w.y, seller.footer, R - L, { size: 8, color: GREY, leading: 10 });
  }
  ensure(w, 20);
  const place = seller ? ` Seller: ${seller.name}, ${countryNameEn(seller.country)}.` : "";
  para(pdf, L, w.y, `Amounts in ${inv.currency}. Tax computed per invoice per rate, rounded half-up once.${place}`, R - L, { size: 7.5, color: GREY, leading: 9 });
}

/** Renders the invoice (or its credit note). Deterministic: the same invoice state gives the same bytes. */
export async function renderInvoicePdf(
  deps: { db: AppDb; fonts?: FontSource },
  inv: InvoiceDetail,
  platformName: string,
  kind: Kind = { type: "invoice" },
): Promise<Uint8Array> {
  if (!deps.fonts) throw new Error("Invoice fonts are not available in this context (no ASSETS binding).");
  const seller = inv.seller ?? (await fallbackSeller(deps.db));
  // Loaded on first use: pdf-lib, fontkit and the bidi tables stay out of every other request's startup.
  const [{ PdfCanvas }, { FontSet }] = await Promise.all([import("./pdf/canvas"), import("./pdf/fonts")]);
  const fonts = await FontSet.open(deps.fonts);
  await fonts.prepare(corpus(inv, seller, platformName, kind));
  const credit = kind.type === "credit_note";
  const sign = credit ? -1 : 1;
  const money = (m: number) => formatMoney(sign * m, inv.currency, inv.exponent);
  const title = credit ? `Credit note ${kind.number}` : `Invoice ${inv.number ?? ""}`;
  const pdf = await PdfCanvas.create(fonts, {
    title,
    author: seller?.name ?? platformName,
    subject: `${title} for ${inv.buyer?.name ?? inv.org.name}`,
    date: new Date(`${credit ? kind.issueDate : inv.issueDate}T00:00:00Z`),
  });
  const w: Sheet = { pdf, y: pdf.height - 60 };
  const doc: Doc = { inv, seller, credit, kind, money };
  drawHead(w, doc, platformName);
  const c = drawLines(w, doc);
  drawTotals(w, doc, c);
  drawPaymentAndFooter(w, doc, c);
  return pdf.save();
}

export const pdfFilename = (inv: InvoiceDetail) => `${(inv.number ?? inv.id).replace(/[^A-Za-z0-9-]/g, "_")}.pdf`;

/** For people: tenancy applies (another tenant's invoice is NOT_FOUND). */
export async function exportInvoicePdf(args: { ctx: ActorContext; id: string }): Promise<{ filename: string; bytes: Uint8Array }> {
  const inv = await getInvoice({ ctx: args.ctx, id: args.id });
  return { filename: pdfFilename(inv), bytes: await renderInvoicePdf(args.ctx, inv, args.ctx.config.RP_NAME) };
}

/** The credit note of a cancelled invoice, as a PDF. Tenancy as for the invoice; NOT_FOUND if it has none. */
export async function exportCreditNotePdf(args: { ctx: ActorContext; invoiceId: string }): Promise<{ filename: string; bytes: Uint8Array }> {
  const inv = await getInvoice({ ctx: args.ctx, id: args.invoiceId });
  const cn = inv.creditNote
    ? await args.ctx.db.select().from(creditNotes).where(and(eq(creditNotes.id, inv.creditNote.id), eq(creditNotes.invoiceId, inv.id))).get()
    : undefined;
  if (!cn) throw notFound("Credit note");
  const bytes = await renderInvoicePdf(args.ctx, inv, args.ctx.config.RP_NAME, { type: "credit_note", number: cn.number, issueDate: cn.issueDate, reason: cn.reason });
  return { filename: `${cn.number}.pdf`, bytes };
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The `invoice_pdf` email attachment (passed to the email consumer by domain/context.ts). */
export const invoicePdfAttachment: AttachmentRenderer = async (ctx, ref) => {
  const inv = await loadInvoice(ctx.db, ref);
  if (!inv) throw notFound("Invoice");
  return { filename: pdfFilename(inv), content: toBase64(await renderInvoicePdf(ctx, inv, ctx.config.RP_NAME)), mimeType: "application/pdf" };
};

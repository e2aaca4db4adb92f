/**
 * "Export Invoice": the invoice as a PDF (seller and buyer, logo, number, dates, period, lines with the
 * consumption behind usage charges, tax lines, totals, status, payments). Also the `invoice_pdf` email
 * attachment renderer ("Resend Invoice", "invoice.issued").
 */
import { eq } from "drizzle-orm";
import type { InvoiceDetail } from "../../contract/billing";
import { formatMoney } from "../../contract/money";
import type { AppDb } from "../../db/client";
import { organizations, users } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext, DomainContext } from "../context";
import { ATTACHMENT_RENDERERS } from "../email/attachments";
import { PdfDocument } from "./pdf-writer";
import { getInvoice, loadInvoice } from "./read";

const STATUS = { draft: "DRAFT", unpaid: "UNPAID", paid: "PAID", cancelled: "CANCELLED" } as const;
const ACCENT: [number, number, number] = [0.13, 0.36, 0.67];

interface Party {
  name: string;
  lines: string[];
}

async function party(db: AppDb, orgId: string | null): Promise<Party | null> {
  const org = orgId
    ? await db.select().from(organizations).where(eq(organizations.id, orgId)).get()
    : await db.select().from(organizations).where(eq(organizations.kind, "operator")).limit(1).get();
  if (!org) return null;
  const contact = org.primaryUserId ? await db.select({ first: users.firstName, last: users.lastName, email: users.email }).from(users).where(eq(users.id, org.primaryUserId)).get() : null;
  return {
    name: org.name,
    lines: [[org.city, org.country].filter(Boolean).join(", "), org.email ?? "", org.phone ?? "", contact ? `Attn: ${contact.first} ${contact.last} <${contact.email}>` : ""].filter(Boolean),
  };
}

export async function renderInvoicePdf(db: AppDb, inv: InvoiceDetail, platformName: string): Promise<Uint8Array> {
  const [seller, buyer] = await Promise.all([party(db, null), party(db, inv.org.id)]);
  const money = (m: number) => formatMoney(m, inv.currency, inv.exponent);
  const pdf = new PdfDocument({ title: `Invoice ${inv.number ?? ""}`, author: seller?.name ?? platformName });
  const L = 50;
  const R = pdf.width - 50;
  let y = pdf.height - 60;
  const ensure = (space: number) => {
    if (y - space < 60) {
      pdf.newPage();
      y = pdf.height - 60;
    }
  };

  // Logo: a mark and the platform name.
  pdf.rect(L, y - 4, 22, 22, ACCENT);
  pdf.text(L + 5, y + 2, "C", { size: 16, font: "bold", color: [1, 1, 1] });
  pdf.text(L + 30, y + 2, platformName, { size: 16, font: "bold", color: ACCENT });
  pdf.text(R, y + 2, "INVOICE", { size: 20, font: "bold", align: "right" });
  y -= 26;
  pdf.text(R, y, inv.number ?? "", { size: 11, font: "bold", align: "right" });
  y -= 14;
  pdf.text(R, y, `Status: ${STATUS[inv.status]}`, { size: 10, font: "bold", align: "right", color: inv.status === "paid" ? [0.1, 0.5, 0.2] : inv.status === "cancelled" ? [0.6, 0.1, 0.1] : [0, 0, 0] });

  // Seller and buyer.
  y -= 24;
  const top = y;
  pdf.text(L, y, "From", { size: 8, font: "bold", color: [0.4, 0.4, 0.4] });
  pdf.text(300, y, "Bill to", { size: 8, font: "bold", color: [0.4, 0.4, 0.4] });
  let ys = top - 13;
  if (seller) {
    pdf.text(L, ys, seller.name, { font: "bold" });
    for (const l of seller.lines) pdf.text(L, (ys -= 12), l, { size: 9 });
  }
  let yb = top - 13;
  if (buyer) {
    pdf.text(300, yb, buyer.name, { font: "bold" });
    for (const l of buyer.lines) pdf.text(300, (yb -= 12), l, { size: 9 });
  }
  y = Math.min(ys, yb) - 24;

  // Dates and period.
  const facts: Array<[string, string]> = [
    ["Issue date", inv.issueDate],
    ["Due date", inv.dueDate],
    ["Invoicing period", `${inv.periodFrom} to ${inv.periodTo}`],
    ...(inv.subscription ? ([["Resource Subscription", inv.subscription.name]] as Array<[string, string]>) : []),
    ["Currency", inv.currency],
  ];
  for (const [k, v] of facts) {
    pdf.text(L, y, k, { size: 9, color: [0.4, 0.4, 0.4] });
    pdf.text(L + 130, y, v, { size: 9 });
    y -= 13;
  }

  // Lines.
  y -= 10;
  const cols = { desc: L, qty: 330, price: 420, amount: R };
  pdf.rect(L - 4, y - 4, R - L + 8, 16, [0.93, 0.95, 0.98]);
  pdf.text(cols.desc, y, "Description", { size: 9, font: "bold" });
  pdf.text(cols.qty, y, "Quantity", { size: 9, font: "bold", align: "right" });
  pdf.text(cols.price, y, "Unit price", { size: 9, font: "bold", align: "right" });
  pdf.text(cols.amount, y, "Amount", { size: 9, font: "bold", align: "right" });
  y -= 18;
  for (const line of inv.lines) {
    ensure(30);
    pdf.text(cols.desc, y, `${line.description}${line.taxable ? "" : " (not taxable)"}`.slice(0, 60), { size: 9 });
    pdf.text(cols.qty, y, `${line.quantity} ${line.unit}`, { size: 9, align: "right" });
    pdf.text(cols.price, y, line.unitPrice, { size: 9, align: "right" });
    pdf.text(cols.amount, y, money(line.netMinor), { size: 9, align: "right" });
    y -= 12;
    if (line.periodFrom && line.periodTo) {
      pdf.text(cols.desc + 8, y, `Period ${line.periodFrom} to ${line.periodTo}`, { size: 7.5, color: [0.4, 0.4, 0.4] });
      y -= 10;
    }
    for (const u of line.usage ?? []) {
      ensure(12);
      pdf.text(cols.desc + 8, y, `${u.date}${u.resource ? `  ${u.resource}` : ""}: ${u.quantity} ${line.unit}`, { size: 7.5, color: [0.4, 0.4, 0.4] });
      y -= 10;
    }
    y -= 4;
  }
  ensure(60 + inv.taxes.length * 14);
  pdf.line(L, y + 6, R, y + 6);
  y -= 8;
  const total = (label: string, value: string, bold = false) => {
    pdf.text(cols.price, y, label, { size: 10, font: bold ? "bold" : "regular", align: "right" });
    pdf.text(cols.amount, y, value, { size: 10, font: bold ? "bold" : "regular", align: "right" });
    y -= 14;
  };
  total("Subtotal", money(inv.subtotalMinor));
  for (const t of inv.taxes) total(`${t.ruleName} (${t.ratePercent}%)`, money(t.taxMinor));
  if (inv.taxes.length === 0) total("Tax", money(0));
  total("Total", money(inv.totalMinor), true);
  if (inv.amountPaidMinor) total("Paid", money(inv.amountPaidMinor));
  total("Amount due", money(inv.status === "unpaid" ? inv.totalMinor - inv.amountPaidMinor : 0), true);

  if (inv.payments.length) {
    y -= 10;
    ensure(20 + inv.payments.length * 12);
    pdf.text(L, y, "Payment history", { size: 9, font: "bold" });
    y -= 13;
    for (const p of inv.payments) {
      pdf.text(L, y, `${p.at.slice(0, 10)}  ${p.kind.replace(/_/g, " ")}  ${p.reference ?? ""}`, { size: 8.5 });
      pdf.text(cols.amount, y, money(p.amountMinor), { size: 8.5, align: "right" });
      y -= 12;
    }
  }
  ensure(30);
  y -= 16;
  pdf.text(L, y, `Amounts in ${inv.currency}. Tax computed per invoice per rate, rounded half-up once.`, { size: 7.5, color: [0.4, 0.4, 0.4] });
  return pdf.toBytes();
}

export const pdfFilename = (inv: InvoiceDetail) => `${(inv.number ?? inv.id).replace(/[^A-Za-z0-9-]/g, "_")}.pdf`;

/** For people: tenancy applies (another tenant's invoice is NOT_FOUND). */
export async function exportInvoicePdf(args: { ctx: ActorContext; id: string }): Promise<{ filename: string; bytes: Uint8Array }> {
  const inv = await getInvoice({ ctx: args.ctx, id: args.id });
  return { filename: pdfFilename(inv), bytes: await renderInvoicePdf(args.ctx.db, inv, args.ctx.config.RP_NAME) };
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

ATTACHMENT_RENDERERS["invoice_pdf"] = async (ctx: Pick<DomainContext, "db" | "clock" | "config">, ref: string) => {
  const inv = await loadInvoice(ctx.db, ref);
  if (!inv) throw notFound("Invoice");
  return { filename: pdfFilename(inv), content: toBase64(await renderInvoicePdf(ctx.db, inv, ctx.config.RP_NAME)), mimeType: "application/pdf" };
};

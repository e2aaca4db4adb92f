/**
 * Invoice PDF cost in workerd: a 1-page invoice (3 lines, Latin), a 50-line invoice (Latin with diacritics),
 * and a 50-line invoice whose lines cycle through every script (Greek, Cyrillic, CJK, Arabic, Hebrew, emoji).
 * Cold = first render in the isolate (manifest and font slices fetched from the static assets); warm = later
 * renders (fonts cached per isolate), which is the CPU the renderer itself costs. Prints `BENCH_RESULT {json}`
 * and `BENCH_SAMPLE <base64>` (the 1-page invoice, for the README).
 */
import { env } from "cloudflare:workers";
import { expect, test } from "vitest";
import type { InvoiceDetail } from "../worker/contract/billing";
import { createDb } from "../worker/db/client";
import { renderInvoicePdf } from "../worker/domain/invoices/pdf";
import { assetFonts } from "../worker/domain/invoices/pdf/source";

const SCRIPTS = ["Łódź 株式会社 Zürich 🚀", "Υπηρεσίες νέφους Αθήνα", "Облачные услуги Москва", "云服务 クラウド 클라우드", "خدمات سحابية شركة الأمل", "שירותי ענן חברת שלום"];

function invoice(lines: string[]): InvoiceDetail {
  // Consistent amounts (quantity × €10.00, 20 % tax): the 1-page render is the README's sample.
  const nets = lines.map((_, i) => (1 + (i % 5)) * 1000);
  const subtotal = nets.reduce((a, b) => a + b, 0);
  const tax = Math.round(subtotal * 0.2);
  return {
    id: "inv_bench", number: "INV-2026-000123", kind: "subscription", status: "unpaid", currency: "EUR", exponent: 2, subtotalMinor: subtotal, taxMinor: tax,
    totalMinor: subtotal + tax, amountPaidMinor: 0, taxRatePercent: "20", issueDate: "2026-11-22", dueDate: "2026-12-06", periodFrom: "2026-11-01", periodTo: "2026-11-30",
    org: { id: "org_b", name: "Brightwater Logistics Ltd", kind: "customer" }, subscription: { id: "sub_b", name: "Brightwater Production" }, contractId: null,
    precision: 4, roundingRule: "v1-half-up-per-rate", issuedAt: null, paidAt: null, cancelledAt: null,
    lines: lines.map((description, i) => ({ position: i + 1, description, quantity: String(1 + (i % 5)), unit: "vCPU-month", unitPrice: "10.0000", netMinor: nets[i]!, taxable: true, periodFrom: "2026-11-01", periodTo: "2026-11-30", usage: null })),
    taxes: [{ ruleName: "UK VAT", ratePercent: "20", taxableMinor: subtotal, taxMinor: tax }],
    payments: [],
    seller: { name: "Cumulus Cloud Services Limited", line1: "2 Grand Canal Square", line2: "Grand Canal Dock", postalCode: "D02 A342", city: "Dublin", region: null, country: "IE", taxId: "IE3668997OH",
      registrationNumber: "CRO 654321", bankName: "Allied Irish Banks", iban: "IE29AIBK93115212345678", bic: "AIBKIE2D", accountNumber: null, routingNumber: null,
      footer: "Cumulus Cloud Services Limited, registered in Ireland (CRO 654321), 2 Grand Canal Square, Dublin 2. Payment terms: 14 days. Please quote the invoice number with your payment." },
    buyer: { name: "Brightwater Logistics Ltd", line1: "Unit 4, Trafford Park Road", line2: "Trafford Park", postalCode: "M17 1HG", city: "Manchester", region: null, country: "GB", taxId: "GB314159265",
      attn: "Tom Hughes <tom.hughes@brightwater-logistics.example>" },
    taxExemptReason: null, creditNote: null,
  };
}

async function timed(inv: InvoiceDetail, runs: number) {
  const deps = { db: createDb(env.DB), fonts: assetFonts(env.ASSETS) };
  const t0 = performance.now();
  const first = await renderInvoicePdf(deps, inv, "Cumulus");
  const cold = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await renderInvoicePdf(deps, inv, "Cumulus");
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  return { bytes: first.length, cold_ms: r(cold), warm_p50_ms: r(times[Math.floor(runs / 2)]!), warm_p90_ms: r(times[Math.floor(runs * 0.9)]!), runs, pdf: first };
}

test("invoice PDF render cost", async () => {
  const onePage = await timed(invoice(["Cloud VM (4 vCPU, 16 GB) — Frankfurt", "Block storage 500 GB", "Ingress/egress traffic, Zürich edge"]), 30);
  const fifty = await timed(invoice(Array.from({ length: 50 }, (_, i) => `Managed service line ${i + 1}: Łódź / São Paulo / Zürich region`)), 15);
  const scripts = await timed(invoice(Array.from({ length: 50 }, (_, i) => `${SCRIPTS[i % SCRIPTS.length]} #${i + 1}`)), 15);
  expect(onePage.bytes).toBeGreaterThan(1000);
  const strip = ({ pdf: _pdf, ...rest }: typeof onePage) => rest;
  console.log(`BENCH_RESULT ${JSON.stringify({ one_page_latin: strip(onePage), fifty_lines_latin: strip(fifty), fifty_lines_all_scripts: strip(scripts) })}`);
  let s = "";
  for (const b of onePage.pdf) s += String.fromCharCode(b);
  console.log(`BENCH_SAMPLE ${btoa(s)}`);
});

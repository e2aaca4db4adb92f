#!/usr/bin/env node
/**
 * Seeds the local D1 database with demo data: idempotent (every insert is ON CONFLICT DO NOTHING with
 * stable ids), so running it on every `npm start` never duplicates anything. A fresh database also gets a few
 * months of billing history up to yesterday (scripts/seed-history.ts: issued, paid and overdue invoices, offline
 * payments), seeded once: a database that already has invoices keeps its own.
 *
 * Usage: node scripts/seed.mjs [--persist-to DIR] [--pepper PEPPER] [--today YYYY-MM-DD]
 * Without --pepper, PASSWORD_PEPPER is read from .dev.vars (created by `npm start`). --today sets the day the
 * history ends before (default: today, UTC).
 *
 * Passwords use the same derivation as worker/integrations/crypto/password.ts:
 * PBKDF2-HMAC-SHA256(HMAC-SHA256(pepper, password), salt, 100000) → `pbkdf2-sha256$100000$salt$hash`.
 */
import { execFileSync } from "node:child_process";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildUsageSql, usageReadings } from "./seed-usage.mjs";
import { SEED_BILLING_SETTINGS, SEED_TAX_RULES, billingSeedStatements } from "./seed-billing.mjs";
import { DUNNING_DEMO_ACCOUNTS, DUNNING_DEMO_IN_ARREARS, DUNNING_DEMO_ORGS, DUNNING_DEMO_USERS, dunningDemoSubscriptions } from "./seed-dunning.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const DEMO_ACCOUNTS = [
  { role: "Cloud-Admin", email: "admin@cumulus.example", password: "Cumulus-Admin-2026", org: "Cumulus Cloud Ltd" },
  { role: "Staff (organizations + billing read)", email: "olivia.bennett@cumulus.example", password: "Cumulus-Staff-2026", org: "Cumulus Cloud Ltd" },
  { role: "Staff (email settings + audit)", email: "marek.nowak@cumulus.example", password: "Cumulus-Staff-2026", org: "Cumulus Cloud Ltd" },
  { role: "Reseller user", email: "james.carter@northwind-cloud.example", password: "Cumulus-Reseller-2026", org: "Northwind Cloud Partners" },
  { role: "Reseller user", email: "sofia.rojas@andesdigital.example", password: "Cumulus-Reseller-2026", org: "Andes Digital Solutions" },
  { role: "Customer user (via reseller)", email: "tom.hughes@brightwater-logistics.example", password: "Cumulus-Customer-2026", org: "Brightwater Logistics Ltd" },
  { role: "Customer user (direct)", email: "emily.nguyen@kestrel-analytics.example", password: "Cumulus-Customer-2026", org: "Kestrel Analytics Inc." },
  ...DUNNING_DEMO_ACCOUNTS,
];

const PASSWORDS = {
  cloud_admin: "Cumulus-Admin-2026",
  staff: "Cumulus-Staff-2026",
  reseller: "Cumulus-Reseller-2026",
  customer: "Cumulus-Customer-2026",
};

/** Stable, well-formed prefixed id (same shape as worker/db/ids.ts) derived from a seed key. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export function seedId(prefix, key) {
  const digest = createHash("sha256").update(`cumulus-seed:${key}`).digest();
  let out = "";
  for (let i = 0; i < 26; i++) out += ALPHABET[digest[i] & 31];
  return `${prefix}_${out}`;
}

export function hashPassword(password, pepper) {
  const peppered = createHmac("sha256", pepper).update(password.normalize("NFC")).digest();
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(peppered, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256$100000$${salt.toString("base64")}$${hash.toString("base64")}`;
}

// Fixed timestamp for seed rows so re-seeding produces identical data (2026-01-05T09:00:00Z).
const SEEDED_AT = Date.UTC(2026, 0, 5, 9, 0, 0);

const ORGS = [
  { key: "operator", kind: "operator", name: "Cumulus Cloud Ltd", country: "IE", city: "Dublin", phone: "+35315550100", email: "billing@cumulus.example", tz: "Europe/Dublin",
    billing: { line1: "2 Grand Canal Square", line2: "Grand Canal Dock", postal: "D02 A342", taxId: "IE3668997OH" } },
  { key: "northwind", kind: "reseller", name: "Northwind Cloud Partners", country: "GB", city: "London", phone: "+442079460123", email: "accounts@northwind-cloud.example", tz: "Europe/London",
    billing: { legal: "Northwind Cloud Partners Limited", line1: "30 Finsbury Square", postal: "EC2A 1AG", taxId: "GB287365410" } },
  { key: "andes", kind: "reseller", name: "Andes Digital Solutions", country: "CL", city: "Santiago", phone: "+56225550147", email: "finanzas@andesdigital.example", tz: "America/Santiago",
    billing: { legal: "Andes Digital Solutions SpA", line1: "Avenida Apoquindo 4501, Oficina 1203", postal: "7580125", region: "Las Condes, Región Metropolitana", taxId: "76543210K" } },
  { key: "brightwater", kind: "customer", reseller: "northwind", name: "Brightwater Logistics Ltd", country: "GB", city: "Manchester", phone: "+441614960581", email: "it@brightwater-logistics.example", tz: "Europe/London",
    billing: { line1: "Unit 4, Trafford Park Road", line2: "Trafford Park", postal: "M17 1HG", taxId: "GB314159265" } },
  { key: "helvetia", kind: "customer", reseller: "northwind", name: "Helvetia Precision AG", country: "CH", city: "Zürich", phone: "+41445550192", email: "it@helvetia-precision.example", tz: "Europe/Zurich",
    billing: { line1: "Bahnhofstrasse 42", postal: "8001", taxId: "CHE-116.281.710 MWST", exempt: "Reverse charge: the recipient accounts for Swiss VAT on services from abroad (acquisition tax, Art. 45 MWSTG)" } },
  { key: "pampa", kind: "customer", reseller: "andes", name: "Pampa Agro S.A.", country: "AR", city: "Buenos Aires", phone: "+541155550163", email: "sistemas@pampa-agro.example", tz: "America/Argentina/Buenos_Aires",
    billing: { line1: "Avenida Corrientes 1234, Piso 8", postal: "C1043AAZ", region: "Ciudad Autónoma de Buenos Aires", taxId: "30712345678" } },
  { key: "lima", kind: "customer", reseller: "andes", name: "Lima Retail Group S.A.C.", country: "PE", city: "Lima", phone: "+5115550178", email: "ti@lima-retail.example", tz: "America/Lima",
    billing: { line1: "Avenida José Larco 1301, Miraflores", postal: "15074", taxId: "20512345678" } },
  { key: "kestrel", kind: "customer", name: "Kestrel Analytics Inc.", country: "US", city: "Austin", phone: "+15125550143", email: "ops@kestrel-analytics.example", tz: "America/Chicago",
    billing: { line1: "500 West 2nd Street, Suite 1900", postal: "78701", region: "TX", taxId: "87-1234567" } },
  ...DUNNING_DEMO_ORGS,
];

// The first user listed for each organization is its primary contact.
const USERS = [
  { org: "operator", role: "cloud_admin", first: "Clara", last: "Whitfield", email: "admin@cumulus.example", phone: "+35315550101", title: "Head of Cloud Operations", privileges: [] },
  { org: "operator", role: "staff", first: "Olivia", last: "Bennett", email: "olivia.bennett@cumulus.example", phone: "+35315550102", title: "Billing Analyst", privileges: ["billing.read", "organizations.read"] },
  { org: "operator", role: "staff", first: "Marek", last: "Nowak", email: "marek.nowak@cumulus.example", phone: "+35315550103", title: "Customer Communications", privileges: ["audit.read", "email.settings"] },
  { org: "northwind", role: "reseller", first: "James", last: "Carter", email: "james.carter@northwind-cloud.example", phone: "+442079460124", title: "Managing Director" },
  { org: "northwind", role: "reseller", first: "Priya", last: "Shah", email: "priya.shah@northwind-cloud.example", phone: "+442079460125", title: "Finance Manager" },
  { org: "andes", role: "reseller", first: "Sofía", last: "Rojas", email: "sofia.rojas@andesdigital.example", phone: "+56225550148", title: "Gerente General" },
  { org: "andes", role: "reseller", first: "Mateo", last: "Fuentes", email: "mateo.fuentes@andesdigital.example", phone: "+56225550149", title: "Jefe de Operaciones" },
  { org: "brightwater", role: "customer", first: "Tom", last: "Hughes", email: "tom.hughes@brightwater-logistics.example", phone: "+441614960582", title: "IT Manager" },
  { org: "brightwater", role: "customer", first: "Grace", last: "Liu", email: "grace.liu@brightwater-logistics.example", phone: "+441614960583", title: "Accounts Payable" },
  { org: "helvetia", role: "customer", first: "Lukas", last: "Meier", email: "lukas.meier@helvetia-precision.example", phone: "+41445550193", title: "CTO" },
  { org: "helvetia", role: "customer", first: "Anna", last: "Keller", email: "anna.keller@helvetia-precision.example", phone: "+41445550194", title: "Buchhaltung" },
  { org: "pampa", role: "customer", first: "Martín", last: "Gómez", email: "martin.gomez@pampa-agro.example", phone: "+541155550164", title: "Director de Sistemas" },
  { org: "pampa", role: "customer", first: "Lucía", last: "Fernández", email: "lucia.fernandez@pampa-agro.example", phone: "+541155550165", title: "Contadora" },
  { org: "lima", role: "customer", first: "Diego", last: "Castillo", email: "diego.castillo@lima-retail.example", phone: "+5115550179", title: "Gerente de TI" },
  { org: "lima", role: "customer", first: "Valeria", last: "Quispe", email: "valeria.quispe@lima-retail.example", phone: "+5115550180", title: "Analista de Compras" },
  { org: "kestrel", role: "customer", first: "Emily", last: "Nguyen", email: "emily.nguyen@kestrel-analytics.example", phone: "+15125550144", title: "VP Engineering" },
  { org: "kestrel", role: "customer", first: "Marcus", last: "Reed", email: "marcus.reed@kestrel-analytics.example", phone: "+15125550145", title: "Controller" },
  ...DUNNING_DEMO_USERS,
];

// Prices are exact decimals: amount / 10^scale in the billing currency.
const PRODUCTS = [
  { key: "vm-std", name: "Cloud VM Standard (2 vCPU / 4 GB)", model: "fixed", unit: "month", amount: 4900, scale: 2, taxable: true },
  { key: "k8s", name: "Managed Kubernetes Control Plane", model: "fixed", unit: "month", amount: 7300, scale: 2, taxable: true },
  { key: "ipv4", name: "Public IPv4 Address", model: "fixed", unit: "month", amount: 350, scale: 2, taxable: true },
  { key: "support", name: "Premium Support (annual)", model: "fixed", unit: "year", amount: 120000, scale: 2, taxable: true },
  { key: "vcpu", name: "Compute (vCPU hours)", model: "payg", unit: "vCPU-hour", amount: 125, scale: 4, taxable: true },
  { key: "storage", name: "Block Storage", model: "payg", unit: "GB-month", amount: 1000, scale: 4, taxable: true },
  { key: "offset", name: "Carbon Offset Contribution", model: "fixed", unit: "month", amount: 500, scale: 2, taxable: false },
];

const PLANS = [
  { key: "starter", name: "Starter", products: ["vm-std", "ipv4"] },
  { key: "business", name: "Business", products: ["vm-std", "k8s", "ipv4", "offset"] },
  { key: "enterprise", name: "Enterprise Annual", products: ["support", "k8s", "vm-std"] },
  { key: "payg", name: "Pay-As-You-Go Compute", products: ["vcpu", "storage"] },
  { key: "trial", name: "30-Day Trial", products: ["vm-std"] },
];

// Resource Subscriptions on different billing cycles: monthly, quarterly, yearly, usage and one trial.
const FIXED_SUBSCRIPTIONS = [
  { key: "northwind-ops", org: "northwind", plan: "business", name: "Northwind Internal Platform", model: "fixed", interval: "month", anchor: "2026-02-01", status: "live",
    resources: [["virtual_machine", "nw-mgmt-01", "eu-west-1"], ["ip_address", "nw-mgmt-01-ip", "eu-west-1"]] },
  { key: "andes-ops", org: "andes", plan: "starter", name: "Andes Reseller Console", model: "fixed", interval: "quarter", anchor: "2026-03-01", status: "live",
    resources: [["virtual_machine", "ad-console-01", "sa-east-1"]] },
  { key: "brightwater-prod", org: "brightwater", plan: "business", name: "Brightwater Production", model: "fixed", interval: "month", anchor: "2026-01-15", status: "live",
    resources: [["kubernetes_cluster", "bw-prod-k8s", "eu-west-2"], ["virtual_machine", "bw-db-01", "eu-west-2"], ["ip_address", "bw-lb-ip", "eu-west-2"]] },
  { key: "brightwater-analytics", org: "brightwater", plan: "payg", name: "Brightwater Route Analytics", model: "payg", interval: "month", anchor: "2026-04-01", status: "live",
    resources: [["virtual_machine", "bw-etl-01", "eu-west-2"], ["volume", "bw-etl-data", "eu-west-2"]] },
  { key: "helvetia-annual", org: "helvetia", plan: "enterprise", name: "Helvetia CAD Workstations", model: "fixed", interval: "year", anchor: "2026-01-01", status: "live",
    resources: [["virtual_machine", "hp-cad-01", "eu-central-1"], ["virtual_machine", "hp-cad-02", "eu-central-1"], ["kubernetes_cluster", "hp-render", "eu-central-1"]] },
  { key: "pampa-trial", org: "pampa", plan: "trial", name: "Pampa Agro Pilot", model: "fixed", interval: "month", anchor: "2026-11-15", status: "trial", trialEndsAt: "2026-12-15",
    resources: [["virtual_machine", "pa-pilot-01", "sa-east-1"]] },
  { key: "lima-web", org: "lima", plan: "starter", name: "Lima Retail Web Shop", model: "fixed", interval: "month", anchor: "2026-06-10", status: "live",
    resources: [["virtual_machine", "lr-web-01", "sa-east-1"], ["ip_address", "lr-web-01-ip", "sa-east-1"]] },
  { key: "kestrel-ml", org: "kestrel", plan: "payg", name: "Kestrel Model Training", model: "payg", interval: "month", anchor: "2026-05-01", status: "live",
    resources: [["virtual_machine", "ka-gpu-01", "us-east-1"], ["volume", "ka-datasets", "us-east-1"], ["object_storage", "ka-artifacts", "us-east-1"]] },
  { key: "kestrel-support", org: "kestrel", plan: "enterprise", name: "Kestrel Enterprise Support", model: "fixed", interval: "year", anchor: "2026-03-01", status: "live", resources: [] },
];

const q = (v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const insert = (table, row) =>
  `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.values(row).map(q).join(", ")}) ON CONFLICT DO NOTHING;`;

/**
 * Imports a TypeScript module of the repository (bundled on the fly with esbuild), so scripts share the Worker's
 * own code: the billing history its arithmetic, create-admin its country list.
 */
export async function importTs(relativePath) {
  const { build } = await import("esbuild");
  const out = await build({ entryPoints: [path.join(ROOT, relativePath)], bundle: true, format: "esm", platform: "node", write: false, logLevel: "silent" });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
}

export async function buildSeedSql(pepper, { today = new Date().toISOString().slice(0, 10) } = {}) {
  const orgId = (key) => seedId("org", key);
  const userId = (email) => seedId("usr", email);
  const statements = [];
  const primaryOf = new Map();
  // The dunning demo's subscriptions start relative to the first seed's day (scripts/seed-dunning.mjs).
  const SUBSCRIPTIONS = [...FIXED_SUBSCRIPTIONS, ...dunningDemoSubscriptions(today)];
  for (const u of USERS) if (!primaryOf.has(u.org)) primaryOf.set(u.org, userId(u.email));

  for (const o of ORGS) {
    statements.push(insert("organizations", {
      id: orgId(o.key), kind: o.kind, name: o.name, reseller_id: o.reseller ? orgId(o.reseller) : null, status: "active",
      country: o.country, city: o.city, phone: o.phone, email: o.email, time_zone: o.tz, primary_user_id: null,
      created_at: SEEDED_AT, updated_at: SEEDED_AT,
    }));
  }
  for (const u of USERS) {
    const org = ORGS.find((o) => o.key === u.org);
    statements.push(insert("users", {
      id: userId(u.email), org_id: orgId(u.org), email: u.email, first_name: u.first, last_name: u.last, phone: u.phone,
      country: org.country, city: org.city, time_zone: org.tz, job_title: u.title, role: u.role,
      privileges: JSON.stringify([...(u.privileges ?? [])].sort()), status: "active",
      password_hash: hashPassword(PASSWORDS[u.role], pepper), password_changed_at: SEEDED_AT, last_login_at: null,
      created_at: SEEDED_AT, updated_at: SEEDED_AT,
    }));
  }
  // Billing details printed on invoices (docs/decisions/013-invoice-documents.md), filled in where still empty.
  for (const o of ORGS) {
    const b = o.billing;
    statements.push(`UPDATE organizations SET legal_name = ${q(b.legal ?? null)}, address_line1 = ${q(b.line1)}, address_line2 = ${q(b.line2 ?? null)}, postal_code = ${q(b.postal)},
      region = ${q(b.region ?? null)}, tax_id = ${q(b.taxId.toUpperCase().replace(/[\s.\-/]/g, ""))}, tax_exempt_reason = ${q(b.exempt ?? null)}
      WHERE id = ${q(orgId(o.key))} AND address_line1 IS NULL;`);
  }
  const op = ORGS.find((o) => o.kind === "operator");
  statements.push(insert("invoice_details", {
    id: 1, legal_name: "Cumulus Cloud Services Limited", address_line1: op.billing.line1, address_line2: op.billing.line2, postal_code: op.billing.postal, city: op.city,
    region: null, country: op.country, tax_id: op.billing.taxId, registration_number: "CRO 654321", bank_name: "Allied Irish Banks", iban: "IE29AIBK93115212345678",
    bic: "AIBKIE2D", account_number: null, routing_number: null,
    footer: "Cumulus Cloud Services Limited, registered in Ireland (CRO 654321), 2 Grand Canal Square, Dublin 2. Payment terms: 14 days. Please quote the invoice number with your payment.",
    updated_at: SEEDED_AT,
  }));
  // Primary contacts are set only where none is set yet, so a contact changed in the portal survives re-seeding.
  for (const [org, user] of primaryOf) {
    statements.push(`UPDATE organizations SET primary_user_id = ${q(user)} WHERE id = ${q(orgId(org))} AND primary_user_id IS NULL;`);
  }
  for (const p of PRODUCTS) {
    statements.push(insert("products", {
      id: seedId("prd", p.key), name: p.name, description: null, model: p.model, unit: p.unit, price_amount: p.amount,
      price_scale: p.scale, taxable: p.taxable ? 1 : 0, status: "active", created_at: SEEDED_AT, updated_at: SEEDED_AT,
    }));
  }
  for (const plan of PLANS) {
    statements.push(insert("plans", { id: seedId("pln", plan.key), name: plan.name, description: null, status: "active", created_at: SEEDED_AT, updated_at: SEEDED_AT }));
    for (const product of plan.products) {
      statements.push(insert("plan_products", { plan_id: seedId("pln", plan.key), product_id: seedId("prd", product) }));
    }
  }
  for (const s of SUBSCRIPTIONS) {
    const contractId = seedId("ctr", s.key);
    statements.push(insert("contracts", {
      id: contractId, org_id: orgId(s.org), plan_id: seedId("pln", s.plan), start_date: s.anchor, expiry_date: null, status: "active",
      created_at: SEEDED_AT, updated_at: SEEDED_AT,
    }));
    statements.push(insert("resource_subscriptions", {
      id: seedId("sub", s.key), org_id: orgId(s.org), contract_id: contractId, name: s.name, model: s.model, billing_interval: s.interval,
      anchor_date: s.anchor, status: s.status, trial_ends_at: s.trialEndsAt ?? null, created_at: SEEDED_AT, updated_at: SEEDED_AT,
    }));
    for (const [type, name, region] of s.resources) {
      statements.push(insert("resources", {
        id: seedId("res", `${s.key}:${name}`), org_id: orgId(s.org), subscription_id: seedId("sub", s.key), type, name, region,
        status: s.status === "trial" || s.status === "live" ? "active" : "suspended", created_at: SEEDED_AT, updated_at: SEEDED_AT,
      }));
    }
  }
  statements.push(...buildUsageSql(seedId, insert));
  statements.push(...billingSeedStatements({ seedId, seededAt: SEEDED_AT }));
  const { historyStatements } = await importTs("scripts/seed-history.ts");
  statements.push(
    ...historyStatements({
      today, seedId, recordedBy: userId("admin@cumulus.example"), settings: SEED_BILLING_SETTINGS,
      orgs: ORGS, products: PRODUCTS, plans: PLANS, subscriptions: SUBSCRIPTIONS, taxRules: SEED_TAX_RULES, usage: usageReadings(),
      // Lima Retail Group is behind on its payments: its invoices stay open and fall overdue; so are the dunning
      // demo's two customers (one in Warning, one Suspended once the first dunning sweep has run).
      inArrears: ["lima", ...DUNNING_DEMO_IN_ARREARS],
    }),
  );
  return statements.join("\n") + "\n";
}

function readPepperFromDevVars() {
  const file = path.join(ROOT, ".dev.vars");
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, "utf8").split(/\r?\n/).find((l) => l.startsWith("PASSWORD_PEPPER="));
  return line?.slice("PASSWORD_PEPPER=".length).trim().replace(/^"|"$/g, "");
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const pepper = opt("--pepper") ?? process.env.PASSWORD_PEPPER ?? readPepperFromDevVars();
  if (!pepper || pepper.length < 32) {
    console.error("seed: PASSWORD_PEPPER not found (pass --pepper, set PASSWORD_PEPPER, or run `npm start` to create .dev.vars)");
    process.exit(1);
  }
  const persistTo = opt("--persist-to");
  const outDir = path.join(ROOT, ".wrangler");
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, "seed.sql");
  const today = opt("--today");
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    console.error("seed: --today must be YYYY-MM-DD");
    process.exit(1);
  }
  writeFileSync(file, await buildSeedSql(pepper, today ? { today } : {}));
  const wranglerArgs = ["wrangler", "d1", "execute", "DB", "--local", "--file", file, ...(persistTo ? ["--persist-to", persistTo] : [])];
  try {
    execFileSync("npx", wranglerArgs, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  } catch (err) {
    console.error(`seed: wrangler d1 execute failed:\n${err.stderr?.toString() ?? err.message}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();

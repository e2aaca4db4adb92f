#!/usr/bin/env node
/**
 * Bootstraps a production (or any) database with the operator organization and its first Cloud-Admin.
 * Prints SQL for `wrangler d1 execute`; nothing is sent anywhere by this script.
 *
 *   PASSWORD_PEPPER=... node scripts/create-admin.mjs --org "Example Cloud Ltd" --country IE \
 *     --email admin@example.com --first Ada --last Lovelace > admin.sql
 *   npx wrangler d1 execute DB --remote --file admin.sql
 *
 * The password is read from the ADMIN_PASSWORD environment variable (at least 12 characters) so it never
 * appears in shell history; the pepper must be the same secret the Worker uses (`wrangler secret put`).
 * Idempotent: an existing operator organization or email is left unchanged.
 */
import { randomBytes } from "node:crypto";
import { hashPassword, importTs, seedId } from "./seed.mjs";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const fail = (msg) => {
  console.error(`create-admin: ${msg}`);
  process.exit(1);
};

const org = opt("org");
const country = (opt("country") ?? "").toUpperCase();
const email = (opt("email") ?? "").toLowerCase();
const first = opt("first");
const last = opt("last");
const pepper = process.env.PASSWORD_PEPPER;
const password = process.env.ADMIN_PASSWORD;
if (!org || !first || !last) fail("--org, --first and --last are required");
const { isCountryCode } = await importTs("worker/contract/countries.ts");
if (!isCountryCode(country)) fail("--country must be an officially assigned ISO 3166-1 alpha-2 code (GB, not UK)");
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail("--email must be an email address");
if (!pepper || pepper.length < 32) fail("PASSWORD_PEPPER (the Worker secret) must be set");
if (!password || password.length < 12) fail("ADMIN_PASSWORD must be set and at least 12 characters long");

const q = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const now = Date.now();
const orgId = seedId("org", `operator:${randomBytes(8).toString("hex")}`);
const userId = seedId("usr", email);
console.log(`-- Cumulus bootstrap: operator organization and first Cloud-Admin (${email})
INSERT INTO organizations (id, kind, name, reseller_id, status, country, city, phone, email, time_zone, primary_user_id, created_at, updated_at)
SELECT ${q(orgId)}, 'operator', ${q(org)}, NULL, 'active', ${q(country)}, NULL, NULL, NULL, 'UTC', NULL, ${now}, ${now}
WHERE NOT EXISTS (SELECT 1 FROM organizations WHERE kind = 'operator');
INSERT INTO users (id, org_id, email, first_name, last_name, phone, country, city, time_zone, job_title, role, privileges, status, password_hash, password_changed_at, last_login_at, created_at, updated_at)
SELECT ${q(userId)}, (SELECT id FROM organizations WHERE kind = 'operator' LIMIT 1), ${q(email)}, ${q(first)}, ${q(last)}, NULL, ${q(country)}, NULL, 'UTC', NULL, 'cloud_admin', '[]', 'active',
  ${q(hashPassword(password, pepper))}, ${now}, NULL, ${now}, ${now}
WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = ${q(email)});
UPDATE organizations SET primary_user_id = ${q(userId)} WHERE kind = 'operator' AND primary_user_id IS NULL;`);

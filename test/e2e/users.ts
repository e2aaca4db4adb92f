/**
 * Throw-away users for E2E tests that change security settings (MFA, passwords, passkeys), so the seeded demo
 * accounts other tests rely on stay untouched. Rows go straight into the E2E database with `wrangler d1 execute`
 * (the same local state `wrangler dev` serves), hashed exactly like scripts/seed.mjs does.
 */
import { execFile } from "node:child_process";
import { createHmac, pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { E2E_PASSWORD_PEPPER } from "./global-setup";

const ROOT = resolve(import.meta.dirname, "../..");
const PASSWORD = "glacier harbour tulip 42";
const run = promisify(execFile);
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export interface E2eUser {
  email: string;
  password: string;
}

/** `count` fresh customer users of an organization, Kestrel Analytics by default (one wrangler call for all of them). */
export async function newUsers(label: string, count: number, org = "Kestrel Analytics Inc."): Promise<E2eUser[]> {
  const now = Date.now();
  const users: E2eUser[] = [];
  const statements: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `e2e-${label}-${randomUUID().slice(0, 8)}@kestrel-analytics.example`;
    const salt = randomBytes(16);
    const peppered = createHmac("sha256", E2E_PASSWORD_PEPPER).update(PASSWORD.normalize("NFC")).digest();
    const hash = `pbkdf2-sha256$100000$${salt.toString("base64")}$${pbkdf2Sync(peppered, salt, 100_000, 32, "sha256").toString("base64")}`;
    const id = `usr_${Array.from(randomBytes(26), (b) => ALPHABET[b & 31]).join("")}`;
    statements.push(`INSERT INTO users (id, org_id, email, first_name, last_name, phone, country, city, time_zone, job_title, role, privileges, status, password_hash, password_changed_at, last_login_at, created_at, updated_at)
      SELECT '${id}', id, '${email}', 'Erin', 'Example', NULL, 'US', 'Austin', 'America/Chicago', NULL, 'customer', '[]', 'active', '${hash}', ${now}, NULL, ${now}, ${now} FROM organizations WHERE name = '${org.replace(/'/g, "''")}';`);
    users.push({ email, password: PASSWORD });
  }
  await e2eSql(statements.join("\n"));
  return users;
}

export async function newUser(label: string, org?: string): Promise<E2eUser> {
  return (await newUsers(label, 1, org))[0]!;
}

/**
 * Runs SQL against the E2E database (e.g. to age a session's last re-authentication for a step-up test).
 * `wrangler dev` has the same SQLite file open, so a write can meet SQLITE_BUSY while the app writes: retried
 * (bounded), any other error fails at once.
 */
export async function e2eSql(sql: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(process.execPath, [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "d1", "execute", "DB", "--local", "--persist-to", ".wrangler/e2e-state", "--command", sql], {
        cwd: ROOT,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
      });
      return;
    } catch (err) {
      const output = `${(err as { stdout?: string }).stdout ?? ""}${(err as { stderr?: string }).stderr ?? ""}${(err as Error).message}`;
      if (attempt >= 10 || !/SQLITE_BUSY|database is locked/.test(output)) throw err;
      await new Promise((r) => setTimeout(r, 150 * attempt));
    }
  }
}

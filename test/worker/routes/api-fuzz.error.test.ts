/**
 * Robustness (issue 8, section 5): every operation in openapi.json is driven with generated malformed input
 * (test/fuzz.ts: wrong types, missing fields, huge numbers and strings, unicode edge cases, junk bodies, bad query
 * values, bad ids) as a role allowed to call it. No answer may be a 5xx, and every 4xx must be the one error
 * envelope with a stable code. The request count is printed ("api fuzz: N requests").
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../../worker/contract/errors";
import type { InvoiceDetail } from "../../../worker/contract/billing";
import { decide, policyKey, routePolicies } from "../../../worker/routes/policy";
import type { Principal } from "../../../worker/domain/context";
import { createProduct, taxRule } from "../../billing-fixtures";
import { addDays, testNow, today } from "../../clock";
import { eq } from "drizzle-orm";
import { contracts } from "../../../worker/db/schema";
import { createSession, createSubscription, createWorld, db, type World } from "../../factories";
import { BAD_IDS, BAD_QUERY_VALUES, JUNK_BODIES, SchemaWalker, type FuzzCase, type Operation, type Schema } from "../../fuzz";
import { testClient } from "../../helpers";

/** Body variants per operation at most (every field's essential breaks first); keeps the run to a few thousand requests. */
const CAP_PER_OPERATION = 120;

let w: World;
const c = testClient({ now: testNow() });
const ids: Record<string, string> = {};

beforeAll(async () => {
  w = await createWorld();
  const product = await createProduct({ price: [1000, 2] });
  const sub = await createSubscription(w.direct.id);
  const contract = await db().select({ planId: contracts.planId }).from(contracts).where(eq(contracts.id, sub.contractId)).get();
  const inv = await c.request("POST", "/api/invoices", { cookie: await createSession(w.admin.id, testNow()), body: {
    for: "customer", orgId: w.direct.id, status: "unpaid", issueDate: today(), dueDate: addDays(today(), 14), periodFrom: today(), periodTo: today(),
    items: [{ description: "Fuzz base", quantity: "1", unitPrice: "10", taxable: true }],
  } });
  expect(inv.status, await inv.clone().text()).toBe(201);
  Object.assign(ids, {
    organizations: w.direct.id, staff: w.staffNone.id, products: product.id, subscriptions: sub.id, contracts: sub.contractId,
    invoices: ((await inv.json()) as InvoiceDetail).id, "tax-rules": await taxRule(`QF`, 100_000), templates: "invoice.issued", "email-assets": "default",
    plans: contract!.planId, users: w.directUser.id,
  });
});

/** The id a path parameter gets in the plausible base request: a real row where the test has one. */
function baseId(path: string, param: string): string {
  if (param === "event") return "invoice.issued";
  if (param === "version") return "1";
  const segment = path.split("/").slice(0, path.split("/").indexOf(`{${param}}`)).pop() ?? "";
  return ids[segment] ?? "does_not_exist";
}

const fill = (path: string, values: (name: string) => string) => path.replace(/\{([^}]+)\}/g, (_m, name: string) => values(name));

function casesFor(walker: SchemaWalker, path: string, method: string, op: Operation): FuzzCase[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === "path").map((p) => p.name);
  const queryParams = params.filter((p) => p.in === "query");
  const goodPath = fill(path, (n) => encodeURIComponent(baseId(path, n)));
  const schema = op.requestBody?.content?.["application/json"]?.schema as Schema | undefined;
  const base = schema ? walker.sample(schema) : undefined;
  const cases: FuzzCase[] = [{ label: "plausible base request", path: goodPath, body: base }];
  for (const name of pathParams) {
    for (const bad of BAD_IDS) cases.push({ label: `{${name}} = ${bad.slice(0, 24)}`, path: fill(path, (n) => (n === name ? bad : encodeURIComponent(baseId(path, n)))), body: base });
  }
  for (const q of queryParams) {
    for (const bad of BAD_QUERY_VALUES) cases.push({ label: `?${q.name}=${bad.slice(0, 24)}`, path: goodPath, query: `${q.name}=${bad}` });
    cases.push({ label: `?${q.name} twice`, path: goodPath, query: `${q.name}=1&${q.name}=2` });
  }
  if (method !== "get") {
    if (schema) for (const v of walker.variants(schema, base, CAP_PER_OPERATION)) cases.push({ label: v.label, path: goodPath, body: v.body });
    for (const junk of JUNK_BODIES) cases.push({ label: junk.label, path: goodPath, rawBody: junk.rawBody });
  }
  return cases;
}

/**
 * Field values that make the base request plausible, so one broken field reaches the code behind validation:
 * real ids of this test's rows, decimals, today's date; the SMTP host is the loopback sink (never a real host).
 */
function plausible(name: string): unknown {
  const byName: Record<string, unknown> = {
    host: "127.0.0.1", port: Number(env.SMTP_PORT), orgId: ids.organizations, contractId: ids.contracts, productId: ids.products, planId: ids.plans,
    subscriptionId: ids.subscriptions, userId: ids.users, productIds: [ids.products], quantity: "1", unitPrice: "1", amount: "1", ratePercent: "5",
    country: "GB", currency: "EUR", requestKey: "fuzz-request-key", idempotencyKey: "fuzz-idempotency-key", "<date>": today(),
  };
  return byName[name];
}

type Envelope = { error?: { code?: unknown; message?: unknown; requestId?: unknown; fields?: unknown } };
function envelopeProblem(status: number, text: string): string | null {
  let body: Envelope;
  try {
    body = JSON.parse(text) as Envelope;
  } catch {
    return `${status} without a JSON body: ${text.slice(0, 120)}`;
  }
  const e = body.error;
  if (!e || typeof e.message !== "string" || typeof e.requestId !== "string" || !/^req_[0-9A-Z]{26}$/.test(e.requestId)) return `${status} without the envelope: ${text.slice(0, 160)}`;
  if (!(ERROR_CODES as readonly unknown[]).includes(e.code)) return `${status} with an unknown code ${String(e.code)}`;
  if (e.fields !== undefined && (typeof e.fields !== "object" || Object.values(e.fields as object).some((m) => typeof m !== "string"))) return `${status} with malformed fields`;
  return null;
}

describe("every route × generated malformed input", () => {
  it("never answers 5xx, and every 4xx is the error envelope", async () => {
    const doc = (await (await c.request("GET", "/api/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
    const walker = new SchemaWalker(doc.components?.schemas ?? {}, (name) => plausible(name));
    const failures: string[] = [];
    let requests = 0;
    let shared: string | undefined;
    let operations = 0;
    const statuses = new Map<number, number>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const policy = routePolicies.get(policyKey(method.toUpperCase(), path));
        expect(policy, `${method} ${path} has no policy`).toBeDefined();
        // A role allowed to call it: nobody for public operations, otherwise the Cloud-Admin (allowed everywhere else).
        const admin = { role: "cloud_admin", privileges: [], stage: "full" } as unknown as Principal;
        const asAdmin = policy!.audience !== "public";
        expect(asAdmin ? decide(policy!, admin) : "allow").toBe("allow");
        // Account and sign-in operations may end or rotate the session they are called with: a fresh one per request.
        const ownSession = method !== "get" && /^\/api\/(auth|account)\//.test(path);
        for (const k of casesFor(walker, path, method, op)) {
          if (asAdmin && (ownSession || !shared)) shared = await createSession(w.admin.id, c.clock.now());
          const cookie = asAdmin ? shared : undefined;
          const url = `${k.path}${k.query ? `?${k.query}` : ""}`;
          let res: Response;
          try {
            res = await c.request(method.toUpperCase(), url, { cookie, ...(k.rawBody !== undefined ? { rawBody: k.rawBody } : k.body !== undefined ? { body: k.body } : {}) });
          } catch (err) {
            failures.push(`${method.toUpperCase()} ${path} [${k.label}]: threw ${String(err).slice(0, 200)}`);
            continue;
          }
          requests++;
          // Read to the end (a stream that fails midway counts); decode only what is text (PDFs and images are not).
          const bytes = await res.arrayBuffer();
          const text = /^(application\/json|text\/)/.test(res.headers.get("content-type") ?? "") ? new TextDecoder().decode(bytes) : `(${bytes.byteLength} bytes)`;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) failures.push(`${method.toUpperCase()} ${path} [${k.label}]: ${res.status} ${text.slice(0, 200)}`);
          else if (res.status >= 400) {
            const problem = envelopeProblem(res.status, text);
            if (problem) failures.push(`${method.toUpperCase()} ${path} [${k.label}]: ${problem}`);
          }
        }
      }
    }
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
    console.log(`api fuzz: ${requests} requests over ${operations} operations (${summary})`);
    expect(failures).toEqual([]);
    expect(operations).toBeGreaterThanOrEqual(90);
    expect(requests).toBeGreaterThan(operations * 10);
  }, 900_000);
});

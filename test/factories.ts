/**
 * Factories: unique data on every call, inserted through drizzle into the pool's D1. No shared seed data,
 * so tests never depend on each other's rows.
 */
import { env } from "cloudflare:workers";
import { createDb } from "../worker/db/client";
import { newId } from "../worker/db/ids";
import { contracts, organizations, plans, resources, resourceSubscriptions, users } from "../worker/db/schema";
import type { Privilege, Role } from "../worker/contract/roles";
import { hashPassword } from "../worker/integrations/crypto/password";
import { monthEnd, monthStart, testNow } from "./clock";

export const db = () => createDb(env.DB);
const unique = () => crypto.randomUUID().slice(0, 8);
export const DEFAULT_PASSWORD = "correct horse battery staple";

let cachedHash: Promise<string> | undefined;
/** One derivation for all factory users with the default password (each derive costs ~30 ms). */
const defaultHash = () => (cachedHash ??= hashPassword(DEFAULT_PASSWORD, env.PASSWORD_PEPPER));

export async function createOrg(opts: { kind?: "operator" | "reseller" | "customer"; resellerId?: string | null; name?: string; country?: string } = {}) {
  const now = testNow();
  const row = {
    id: newId("organization"),
    kind: opts.kind ?? "customer",
    name: opts.name ?? `Org ${unique()}`,
    resellerId: opts.resellerId ?? null,
    status: "active" as const,
    country: opts.country ?? "GB",
    city: "London",
    phone: "+442079460000",
    email: `billing-${unique()}@example.test`,
    timeZone: "Europe/London",
    primaryUserId: null,
    createdAt: now,
    updatedAt: now,
  };
  await db().insert(organizations).values(row);
  return row;
}

export async function createUser(opts: { orgId: string; role: Role; privileges?: Privilege[]; password?: string; status?: "active" | "disabled"; passwordHash?: string }) {
  const now = testNow();
  const row = {
    id: newId("user"),
    orgId: opts.orgId,
    email: `user-${unique()}@example.test`,
    firstName: "Test",
    lastName: `User ${unique()}`,
    phone: null,
    country: "GB",
    city: null,
    timeZone: "UTC",
    jobTitle: null,
    role: opts.role,
    privileges: JSON.stringify(opts.privileges ?? []),
    status: opts.status ?? "active",
    passwordHash: opts.passwordHash ?? (opts.password ? await hashPassword(opts.password, env.PASSWORD_PEPPER) : await defaultHash()),
    passwordChangedAt: now,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db().insert(users).values(row);
  return { ...row, password: opts.password ?? DEFAULT_PASSWORD };
}

/** A subscription that started ten months before the suite's "today" (test/clock.ts); a trial ends next month. */
export async function createSubscription(orgId: string, opts: { interval?: "month" | "quarter" | "year"; status?: "trial" | "live" } = {}) {
  const now = testNow();
  const start = monthStart(-10, now);
  const plan = { id: newId("plan"), name: `Plan ${unique()}`, description: null, status: "active" as const, createdAt: now, updatedAt: now };
  const contract = { id: newId("contract"), orgId, planId: plan.id, startDate: start, expiryDate: null, status: "active" as const, createdAt: now, updatedAt: now };
  const sub = {
    id: newId("subscription"),
    orgId,
    contractId: contract.id,
    name: `Subscription ${unique()}`,
    model: "fixed" as const,
    billingInterval: opts.interval ?? "month",
    anchorDate: start,
    status: opts.status ?? "live",
    trialEndsAt: opts.status === "trial" ? monthEnd(1, now) : null,
    createdAt: now,
    updatedAt: now,
  };
  const resource = { id: newId("resource"), orgId, subscriptionId: sub.id, type: "virtual_machine" as const, name: `vm-${unique()}`, region: "eu-west-1", status: "active" as const, createdAt: now, updatedAt: now };
  await db().batch([db().insert(plans).values(plan), db().insert(contracts).values(contract), db().insert(resourceSubscriptions).values(sub), db().insert(resources).values(resource)]);
  return sub;
}

/**
 * A small world: operator (admin, staff with/without privileges, staff who manage billing), two resellers each with a customer,
 * a direct customer, each organization with a user set as primary contact.
 */
export async function createWorld() {
  const operator = await createOrg({ kind: "operator", name: `Operator ${unique()}` });
  const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
  const staffNone = await createUser({ orgId: operator.id, role: "staff", privileges: [] });
  const staffRead = await createUser({ orgId: operator.id, role: "staff", privileges: ["organizations.read", "billing.read"] });
  const staffAll = await createUser({ orgId: operator.id, role: "staff", privileges: ["organizations.read", "organizations.write", "audit.read"] });
  const staffBilling = await createUser({ orgId: operator.id, role: "staff", privileges: ["billing.read", "billing.write"] });
  const resellerA = await createOrg({ kind: "reseller", name: `Reseller A ${unique()}` });
  const resellerB = await createOrg({ kind: "reseller", name: `Reseller B ${unique()}` });
  const customerA = await createOrg({ kind: "customer", resellerId: resellerA.id, name: `Customer A ${unique()}` });
  const customerB = await createOrg({ kind: "customer", resellerId: resellerB.id, name: `Customer B ${unique()}` });
  const direct = await createOrg({ kind: "customer", name: `Direct ${unique()}` });
  const resellerAUser = await createUser({ orgId: resellerA.id, role: "reseller" });
  const resellerBUser = await createUser({ orgId: resellerB.id, role: "reseller" });
  const customerAUser = await createUser({ orgId: customerA.id, role: "customer" });
  const customerAUser2 = await createUser({ orgId: customerA.id, role: "customer" });
  const customerBUser = await createUser({ orgId: customerB.id, role: "customer" });
  const directUser = await createUser({ orgId: direct.id, role: "customer" });
  const { eq } = await import("drizzle-orm");
  for (const [org, user] of [
    [resellerA, resellerAUser],
    [resellerB, resellerBUser],
    [customerA, customerAUser],
    [customerB, customerBUser],
    [direct, directUser],
  ] as const) {
    await db().update(organizations).set({ primaryUserId: user.id }).where(eq(organizations.id, org.id));
  }
  await createSubscription(customerA.id);
  return { operator, admin, staffNone, staffRead, staffAll, staffBilling, resellerA, resellerB, customerA, customerB, direct, resellerAUser, resellerBUser, customerAUser, customerAUser2, customerBUser, directUser };
}
export type World = Awaited<ReturnType<typeof createWorld>>;

/** A new customer organization and its one user (the default password): the usual customer of a test. */
export async function createCustomer() {
  const org = await createOrg();
  return createUser({ orgId: org.id, role: "customer" });
}

/** An operator with its Cloud Admin (credentials for a real sign-in) and one more customer for it to list. */
export async function createOperatorAdmin() {
  const operator = await createOrg({ kind: "operator" });
  const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
  await createOrg({ kind: "customer", name: `Spec Org ${unique()}` });
  return { email: admin.email, password: DEFAULT_PASSWORD, id: admin.id };
}

/**
 * A live session for `userId` without going through sign-in (no password derivation); returns the Cookie header.
 * `stage` makes a half-signed-in session; `authAt` (default: now) is the last proof of identity (step-up age).
 */
export async function createSession(userId: string, now = testNow(), opts: { stage?: "full" | "mfa" | "enrol"; authAt?: number } = {}): Promise<string> {
  const { newSessionToken, sessionIdFor } = await import("../worker/domain/sessions/store");
  const { sessions } = await import("../worker/db/schema");
  const token = newSessionToken();
  await db()
    .insert(sessions)
    .values({ id: await sessionIdFor(token), userId, createdAt: now, lastSeenAt: now, expiresAt: now + 3_600_000, ip: null, userAgent: null, stage: opts.stage ?? "full", authAt: opts.authAt ?? now });
  return `cumulus_session=${token}`;
}

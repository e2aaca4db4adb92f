/**
 * Account Suspension (docs/decisions/018-dunning.md): a suspended organization's users can read, sign out,
 * look after their account's security and pay; every other write is refused with ACCOUNT_SUSPENDED (423).
 * One indexed read, only for writes by customer and reseller users.
 */
import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { SUSPENDED_WRITABLE_PREFIXES } from "../contract/dunning";
import { organizations } from "../db/schema";
import type { AppEnv } from "../env";
import { DomainError } from "../errors";

export const suspendedMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  const write = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
  if (write && p && p.orgKind !== "operator" && !SUSPENDED_WRITABLE_PREFIXES.some((prefix) => c.req.path.startsWith(prefix))) {
    const org = await c.var.services.db.select({ status: organizations.status }).from(organizations).where(eq(organizations.id, p.orgId)).get();
    if (org?.status === "suspended") {
      throw new DomainError("ACCOUNT_SUSPENDED", "Your account is suspended for non-payment. Pay the overdue invoices to restore it.");
    }
  }
  await next();
});

/**
 * The gateway that keeps cards on file, chosen by capability (never by name), and the organization's customer
 * object on it, created once: the idempotency key is the organization, so a retry or a race replays Stripe's
 * first answer, and the (org, gateway) primary key keeps one row.
 */
import { and, eq } from "drizzle-orm";
import { organizations, paymentCustomers, users } from "../../db/schema";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";
import { activeStripe, type StripeSettings } from "./gateway-store";
import type { StripeGateway } from "../../integrations/payments/stripe";

export interface CardGateway {
  gateway: StripeGateway;
  settings: StripeSettings;
}

export async function cardGateway(ctx: Pick<DomainContext, "db" | "config">): Promise<CardGateway> {
  const active = await activeStripe(ctx);
  if (!active || !active.gateway.capabilities.has("tokenize")) {
    throw new DomainError("PAYMENTS_UNAVAILABLE", "Card payments are not available yet: the operator has not enabled a payment gateway that keeps cards on file.");
  }
  return active;
}

export async function ensureCustomer(ctx: DomainContext, gw: CardGateway, orgId: string): Promise<string> {
  const found = await ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.orgId, orgId), eq(paymentCustomers.gateway, gw.gateway.id))).get();
  if (found) return found.gatewayCustomerId;
  const org = await ctx.db.select({ name: organizations.name, email: organizations.email, primaryEmail: users.email }).from(organizations).leftJoin(users, eq(users.id, organizations.primaryUserId)).where(eq(organizations.id, orgId)).get();
  const { gatewayCustomerId } = await gw.gateway.ensureCustomer({ orgId, name: org?.name ?? orgId, email: org?.primaryEmail ?? org?.email ?? "", idempotencyKey: `cus:${orgId}` });
  await ctx.db.insert(paymentCustomers).values({ orgId, gateway: gw.gateway.id, gatewayCustomerId, createdAt: ctx.clock.now() }).onConflictDoNothing();
  return gatewayCustomerId;
}

/**
 * "Enforce Credit Card" (docs/decisions/016c-card-settings.md): a customer or reseller organization that must
 * hold a card and has no valid one can read, sign out, look after its account and add a card; every other
 * write is refused with CARD_REQUIRED (402), like Account Suspension (ADR 018). One read, writes only.
 */
import { createMiddleware } from "hono/factory";
import { SUSPENDED_WRITABLE_PREFIXES } from "../contract/dunning";
import { cardStanding } from "../domain/payments/card-standing";
import type { AppEnv } from "../env";
import { DomainError } from "../errors";

export const CARD_REQUIRED_MESSAGE = "Your organization must add a valid credit or debit card before it can use the portal. Add one in Payment Info.";

export const cardRequiredMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  const write = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
  if (write && p && p.orgKind !== "operator" && !SUSPENDED_WRITABLE_PREFIXES.some((prefix) => c.req.path.startsWith(prefix))) {
    const { db, clock } = c.var.services;
    if ((await cardStanding({ db, clock }, p.orgId)).blocked) throw new DomainError("CARD_REQUIRED", CARD_REQUIRED_MESSAGE);
  }
  await next();
});

import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { ActorContext, DomainContext } from "../domain/context";
import { unauthenticated } from "../errors";
import type { EmailMessage } from "../queues/messages";
import { assetFonts } from "../domain/invoices/pdf/source";
import { dunningPort } from "../durable/org-billing";

export function domainCtx(c: Context<AppEnv>): DomainContext {
  const { db, clock, config } = c.var.services;
  return {
    db,
    clock,
    config,
    requestId: c.var.requestId,
    ip: c.req.header("cf-connecting-ip") ?? null,
    principal: c.var.principal,
    emailQueue: c.env.EMAIL_QUEUE as Queue<EmailMessage>,
    fonts: assetFonts(c.env.ASSETS),
    userAgent: c.req.header("user-agent") ?? null,
    dunning: dunningPort(c.env.ORG_BILLING),
    session: c.var.sessionId
      ? { id: c.var.sessionId, stage: c.var.sessionStage ?? "full", authAt: c.var.sessionAuthAt ?? 0, expiresAt: c.var.sessionExpiresAt ?? 0 }
      : undefined,
  };
}

/** For routes whose policy requires a signed-in user (the policy already answered 401 otherwise). */
export function actorCtx(c: Context<AppEnv>): ActorContext {
  const ctx = domainCtx(c);
  if (!ctx.principal) throw unauthenticated();
  return ctx as ActorContext;
}

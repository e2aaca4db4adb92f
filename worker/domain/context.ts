/**
 * What every domain verb receives, and the ONE place it is built (the composition root,
 * docs/decisions/015-structure.md): `userCtx(c)` / `requestCtx(c)` in routes, `systemCtx(env, …)` in queue
 * consumers, the cron, Durable Objects, benchmarks and tests. Verbs never read Hono's context or `env` directly;
 * whatever they need from outside (queues, fonts, attachment renderers) is a field here.
 */
import type { Context } from "hono";
import type { Privilege, Role } from "../contract/roles";
import type { OrgKind } from "../contract/dto";
import type { BillingMessage, CollectMessage, EmailMessage, PaymentEventMessage } from "../contract/messages";
import { createDb, type AppDb } from "../db/client";
import { newRequestId } from "../db/ids";
import { clockFor, type Clock } from "../integrations/clock";
import { configFor, type AppEnv, type Config } from "../env";
import { DomainError, unauthenticated } from "../errors";
import type { AttachmentRenderers } from "./email/attachments";
import { assetFonts, type FontSource } from "./invoices/pdf/source";
import { dunningPort, type DunningPort, type OrgBillingNamespace } from "./dunning/port";
import type { PaymentLookup } from "./dunning/settlement-check";
import { gatewaySettlements } from "./collection/gateway-check";

export interface Principal {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  privileges: Privilege[];
  orgId: string;
  orgKind: OrgKind;
  orgName: string;
  /** Session stage; absent means a full sign-in. Partial stages pass only policies that name them. */
  stage?: SessionStage;
}

export type SessionStage = "full" | "mfa" | "enrol";

/** The current login session, for verbs that act on it (step-up, revoke others, rotation). */
export interface SessionRef {
  id: string;
  stage: SessionStage;
  /** Last proof of identity (sign-in or step-up), ms. */
  authAt: number;
  expiresAt: number;
}

export interface DomainContext {
  db: AppDb;
  clock: Clock;
  config: Config;
  requestId: string;
  ip: string | null;
  /** The signed-in user; verbs that need one receive an ActorContext. */
  principal?: Principal;
  /** Email queue (outbox relay): verbs enqueue after their batch commits (domain/email/notify.ts). */
  emailQueue: Queue<EmailMessage>;
  /** Billing queue: one message per page of a billing run (domain/billing/run.ts). */
  billingQueue: Queue<BillingMessage>;
  /** Collection queue: invoices to charge after issue, paced (domain/collection/collect.ts). */
  collectQueue: Queue<CollectMessage>;
  /** The invoice PDF fonts in the static assets (ASSETS binding); absent where no document is rendered. */
  fonts?: FontSource;
  /** Email attachment kind → renderer, called at send time (domain/email/attachments.ts). */
  renderers: AttachmentRenderers;
  /** The login session of the request, when there is one. */
  session?: SessionRef;
  userAgent?: string | null;
  /** The organizations' dunning cases (Durable Objects); absent where nothing can change invoices. */
  dunning?: DunningPort;
  /** Dunning's last look before Termination asks the gateway through collection (dunning/settlement-check.ts). */
  paymentLookup?: PaymentLookup;
}

export type ActorContext = DomainContext & { principal: Principal };

/** The queue bindings, typed once: `wrangler types` declares them as untyped `Queue`. */
export interface Queues {
  email: Queue<EmailMessage>;
  billing: Queue<BillingMessage>;
  payments: Queue<PaymentEventMessage>;
  collect: Queue<CollectMessage>;
}

export function queuesOf(env: Env): Queues {
  return {
    email: env.EMAIL_QUEUE as Queue<EmailMessage>, billing: env.BILLING_QUEUE as Queue<BillingMessage>,
    payments: env.PAYMENTS_QUEUE as Queue<PaymentEventMessage>, collect: env.COLLECT_QUEUE as Queue<CollectMessage>,
  };
}

/**
 * The attachment renderers. The invoice PDF module loads on first use, so Worker start-up (global scope) never
 * evaluates the PDF writer (docs/decisions/014c-startup-and-bench-baseline.md).
 */
export const attachmentRenderers: AttachmentRenderers = {
  invoice_pdf: async (ctx, ref) => (await import("./invoices/pdf")).invoicePdfAttachment(ctx, ref),
};

/** A route's context: the request's services, the signed-in user if any, the login session if any. */
export function requestCtx(c: Context<AppEnv>): DomainContext {
  const { db, clock, config } = c.var.services;
  const queues = queuesOf(c.env);
  return {
    db, clock, config, requestId: c.var.requestId, ip: c.req.header("cf-connecting-ip") ?? null, principal: c.var.principal,
    emailQueue: queues.email, billingQueue: queues.billing, collectQueue: queues.collect, fonts: assetFonts(c.env.ASSETS), renderers: attachmentRenderers,
    userAgent: c.req.header("user-agent") ?? null, dunning: dunningPort(c.env.ORG_BILLING as unknown as OrgBillingNamespace),
    session: c.var.sessionId
      ? { id: c.var.sessionId, stage: c.var.sessionStage ?? "full", authAt: c.var.sessionAuthAt ?? 0, expiresAt: c.var.sessionExpiresAt ?? 0 }
      : undefined,
  };
}

/** For routes whose policy requires a signed-in user (the policy already answered 401 otherwise). */
export function userCtx(c: Context<AppEnv>): ActorContext {
  const ctx = requestCtx(c);
  if (!ctx.principal) throw unauthenticated();
  return ctx as ActorContext;
}

export interface SystemOptions {
  /** Defaults to the environment's clock (real time, or shifted by CLOCK_OFFSET_MS outside production). */
  clock?: Clock;
  /** The actor a system job acts for, when it acts for one. */
  principal?: Principal;
  /** Test and benchmark seams: queues that capture or count instead of sending. */
  queues?: Partial<Queues>;
  renderers?: AttachmentRenderers;
}

/**
 * A context for work without a request: queue consumers, the cron, Durable Objects, benchmarks and tests.
 * Throws BAD_ENVIRONMENT when the environment is invalid (callers that must keep going check `configFor` first).
 */
export function systemCtx(env: Env, opts: SystemOptions = {}): DomainContext {
  const result = configFor(env);
  if (!result.ok) throw new DomainError("BAD_ENVIRONMENT", `The server is misconfigured: ${result.problems.join("; ")}`);
  const queues = { ...queuesOf(env), ...opts.queues };
  return {
    db: createDb(env.DB), clock: opts.clock ?? clockFor(result.config), config: result.config, requestId: newRequestId(), ip: null,
    ...(opts.principal ? { principal: opts.principal } : {}),
    emailQueue: queues.email, billingQueue: queues.billing, collectQueue: queues.collect, fonts: assetFonts(env.ASSETS), renderers: opts.renderers ?? attachmentRenderers,
    dunning: dunningPort(env.ORG_BILLING as unknown as OrgBillingNamespace), paymentLookup: gatewaySettlements,
  };
}

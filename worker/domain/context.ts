/**
 * What every domain verb receives. Built per request by the `services` and `session` middleware, or by the
 * queue consumer / Durable Object with a system actor. Verbs never read Hono's context directly.
 */
import type { Privilege, Role } from "../contract/roles";
import type { OrgKind } from "../contract/dto";
import type { AppDb } from "../db/client";
import type { Clock } from "../integrations/clock";
import type { Config } from "../env";
import type { EmailMessage } from "../queues/messages";
import type { FontSource } from "./invoices/pdf/source";
import type { DunningPort } from "./dunning/port";

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
  /** The invoice PDF fonts in the static assets (ASSETS binding); absent where no document is rendered. */
  fonts?: FontSource;
  /** The login session of the request, when there is one. */
  session?: SessionRef;
  userAgent?: string | null;
  /** The organizations' dunning cases (Durable Objects); absent where nothing can change invoices. */
  dunning?: DunningPort;
}

export type ActorContext = DomainContext & { principal: Principal };

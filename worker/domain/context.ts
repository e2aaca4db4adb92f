/**
 * What every domain verb receives. Built per request by the `services` and `session` middleware, or by the
 * queue consumer / Durable Object with a system actor. Verbs never read Hono's context directly.
 */
import type { Privilege, Role } from "../contract/roles";
import type { OrgKind } from "../contract/dto";
import type { AppDb } from "../db/client";
import type { Clock } from "../integrations/clock";
import type { Config } from "../env";

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
}

export interface DomainContext {
  db: AppDb;
  clock: Clock;
  config: Config;
  requestId: string;
  ip: string | null;
  /** The signed-in user; verbs that need one call `requireActor(ctx)`. */
  principal?: Principal;
}

export type ActorContext = DomainContext & { principal: Principal };

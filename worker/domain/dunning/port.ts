/**
 * How domain code reaches an organization's dunning case (the OrgBilling Durable Object) without importing
 * it: the composition root (worker/domain/context.ts) builds `dunningPort` on the ORG_BILLING namespace.
 */
import type { DunningCaseView } from "./mirror";

export interface DunningPort {
  /** The invoices of `orgId` changed (fell due, paid by any channel, cancelled): open, re-anchor or end its case. */
  refresh(orgId: string): Promise<DunningCaseView>;
  getCase(orgId: string): Promise<DunningCaseView>;
  pause(orgId: string, until: number | null, reason: string): Promise<DunningCaseView>;
  resume(orgId: string): Promise<DunningCaseView>;
}

/** What the port needs of the OrgBilling namespace: one object per organization, named by its id, with the same verbs. */
export interface OrgBillingNamespace {
  getByName(orgId: string): DunningPort;
}

export function dunningPort(ns: OrgBillingNamespace): DunningPort {
  return {
    refresh: (orgId) => ns.getByName(orgId).refresh(orgId),
    getCase: (orgId) => ns.getByName(orgId).getCase(orgId),
    pause: (orgId, until, reason) => ns.getByName(orgId).pause(orgId, until, reason),
    resume: (orgId) => ns.getByName(orgId).resume(orgId),
  };
}

/**
 * How domain code reaches an organization's dunning case (the OrgBilling Durable Object) without importing
 * it: the composition root passes an implementation (worker/durable/org-billing.ts `dunningPort`).
 */
import type { DunningCaseView } from "./mirror";

export interface DunningPort {
  /** The invoices of `orgId` changed (fell due, paid by any channel, cancelled): open, re-anchor or end its case. */
  refresh(orgId: string): Promise<DunningCaseView>;
  getCase(orgId: string): Promise<DunningCaseView>;
  pause(orgId: string, until: number | null, reason: string): Promise<DunningCaseView>;
  resume(orgId: string): Promise<DunningCaseView>;
}

/** The audit log (privilege audit.read). */
import { query, type SearchParams } from "@solidjs/router";
import type { AuditEntry, Page } from "../../worker/contract/dto";
import { api } from "./client";
import { dateParam, pageParam, stringParam } from "./params";

export const AUDIT_PAGE_SIZE = 50;

/**
 * Actions the API records today, offered as suggestions for the Action filter (it matches exactly). Free text
 * stays possible, so an action added later is still filterable before it is listed here.
 */
export const KNOWN_AUDIT_ACTIONS = [
  "auth.sign_in",
  "organization.primary_contact.changed",
  "staff.privileges.changed",
  "email.template.save",
  "email.template.restore",
  "email.template.reset",
  "email.template.test",
  "email.smtp.save",
  "email.smtp.test",
  "email.delivery.save",
  "email.asset.upload",
  "email.resend",
];

export interface AuditParams {
  page: number;
  pageSize: number;
  q?: string;
  action?: string;
  orgId?: string;
  from?: string;
  to?: string;
}

export function auditParams(search: SearchParams): AuditParams {
  return {
    page: pageParam(search.page),
    pageSize: AUDIT_PAGE_SIZE,
    q: stringParam(search.q),
    action: stringParam(search.action),
    orgId: stringParam(search.orgId),
    from: dateParam(search.from),
    to: dateParam(search.to),
  };
}

export const getAuditLog = query(
  (p: AuditParams) => api.get<Page<AuditEntry>>("/audit-log", { ...p }),
  "audit.list",
);

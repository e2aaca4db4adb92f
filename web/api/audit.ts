/** The audit log (privilege audit.read). */
import { query, type SearchParams } from "@solidjs/router";
import { client, unwrap } from "./client";
import { dateParam, pageParam, stringParam } from "./params";

export const AUDIT_PAGE_SIZE = 50;

/** Every action recorded so far, offered as suggestions for the Action filter (which matches exactly). */
export const getAuditActions = query(async () => (await unwrap(client.api["audit-log"].actions.$get())).items, "audit.actions");

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
  (p: AuditParams) => unwrap(client.api["audit-log"].$get({ query: p })),
  "audit.list",
);

/**
 * Domain errors know nothing about HTTP; ERROR_STATUS maps each stable code to a status in one place.
 * `toErrorBody` builds the single error envelope every failing response uses.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody, ErrorCode } from "./contract/errors";

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CSRF_REJECTED: 403,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  SCHEDULE_LOCKED: 409,
  USAGE_KEY_REUSED: 409,
  RATE_LIMITED: 429,
  /** A wrong, expired or already used one-time code / passkey assertion. */
  INVALID_CODE: 400,
  /** A sensitive action needs a fresh re-authentication (within 5 minutes). */
  STEP_UP_REQUIRED: 403,
  /** MFA must be enabled before this (e.g. the platform requires it). */
  MFA_REQUIRED: 403,
  PAYLOAD_TOO_LARGE: 413,
  BAD_ENVIRONMENT: 500,
  INTERNAL: 500,
  CURRENCY_LOCKED: 409,
  INVOICE_NOT_UNPAID: 409,
  NO_PRIMARY_CONTACT: 409,
  /** Valid, but with consequences the person must confirm first (fields say which and why; resend with the confirm flag). */
  CONFIRMATION_REQUIRED: 409,
  /** No active gateway offers what the action needs (e.g. card on file). */
  PAYMENTS_UNAVAILABLE: 409,
  /** The card was declined, or its brand / fingerprint is not accepted here. */
  CARD_REFUSED: 402,
  /** Removing the last valid card while a subscription is ongoing. */
  LAST_CARD: 409,
  /** The organization is suspended for non-payment: only paying, signing out and account security work (ADR 018). */
  ACCOUNT_SUSPENDED: 423,
  NOT_IN_DUNNING: 409,
  NOT_PAUSED: 409,
  /** Unblock Card on a card that is not blocked (already unblocked, or never was). */
  CARD_NOT_BLOCKED: 409,
  /** Collection: the organization has no usable card on file. */
  NO_CARD: 409,
  /** Collection: the card reached "No of Decline Payments Allowed" (docs/decisions/019-collection.md). */
  CARD_BLOCKED: 409,
  /** A charge for this invoice is already with the gateway (or waiting for the customer to authenticate). */
  PAYMENT_IN_PROGRESS: 409,
  /** "Enforce Credit Card": the organization has no valid card; only Payment Info and the account work (ADR 016c). */
  CARD_REQUIRED: 402,
  EXTENSION_PENDING: 409,
  EXTENSION_NOT_AVAILABLE: 409,
  EXTENSION_DECIDED: 409,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** Extra response headers (e.g. Retry-After for RATE_LIMITED). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what = "Resource") => new DomainError("NOT_FOUND", `${what} not found.`);
export const forbidden = (message = "You do not have permission to do this.") => new DomainError("FORBIDDEN", message);
export const unauthenticated = (message = "Please sign in.") => new DomainError("UNAUTHENTICATED", message);
export const validationFailed = (fields: Record<string, string>, message = "Some fields are invalid.") =>
  new DomainError("VALIDATION_FAILED", message, fields);
export const conflict = (message: string, fields?: Record<string, string>) => new DomainError("CONFLICT", message, fields);
export const preconditionFailed = (message: string) => new DomainError("PRECONDITION_FAILED", message);

export function toErrorBody(code: ErrorCode, message: string, requestId: string, fields?: Record<string, string>): ErrorBody {
  return { error: { code, message, requestId, ...(fields && Object.keys(fields).length ? { fields } : {}) } };
}

/** Flattens zod issues into `{ "a.b.0": "message" }` (first message per path). */
export function zodFields(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

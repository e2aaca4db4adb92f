/**
 * The stable error codes of the API. Every error response has the shape
 * `{ "error": { "code", "message", "requestId", "fields"? } }` (see worker/errors.ts).
 * Clients switch on `code`, never on `message`.
 */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "UNSUPPORTED_MEDIA_TYPE",
  "CSRF_REJECTED",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "SCHEDULE_LOCKED",
  "USAGE_KEY_REUSED",
  "RATE_LIMITED",
  "INVALID_CODE",
  "STEP_UP_REQUIRED",
  "MFA_REQUIRED",
  "PAYLOAD_TOO_LARGE",
  "BAD_ENVIRONMENT",
  "INTERNAL",
  "CURRENCY_LOCKED",
  "INVOICE_NOT_UNPAID",
  "NO_PRIMARY_CONTACT",
  "CONFIRMATION_REQUIRED",
  "PAYMENTS_UNAVAILABLE",
  "CARD_REFUSED",
  "LAST_CARD",
  "ACCOUNT_SUSPENDED",
  "NOT_IN_DUNNING",
  "NOT_PAUSED",
  "CARD_NOT_BLOCKED",
  "NO_CARD",
  "CARD_BLOCKED",
  "PAYMENT_IN_PROGRESS",
  "CARD_REQUIRED",
  "EXTENSION_PENDING",
  "EXTENSION_NOT_AVAILABLE",
  "EXTENSION_DECIDED",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: {
    code: ErrorCode | string;
    message: string;
    requestId: string;
    /** Field-level messages, keyed by dotted field path (e.g. `email`, `items.0.quantity`). */
    fields?: Record<string, string>;
  };
}

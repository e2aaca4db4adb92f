/**
 * The From/To pair of a list's filters. One behaviour on every list (Invoices, Transaction Logs, Audit Log): a "To"
 * before "From" is an inline message under "To" (linked to it, announced), and the list keeps what it showed; the
 * filter is applied only once the range is in order.
 */
import { FieldError, errorIdFor } from "./FieldError";

export const RANGE_MESSAGE = "To must be the same day as From or later.";

/** The message for a range, or "" when it is in order (either end may be empty). */
export function rangeError(from: string | undefined, to: string | undefined): string {
  return from && to && to < from ? RANGE_MESSAGE : "";
}

export function DateRangeFields(props: {
  id: string;
  fromLabel?: string;
  toLabel?: string;
  from: string;
  to: string;
  /** Form field names, for filters read with FormData. */
  names?: { from: string; to: string };
  error: string;
  onFrom?: (value: string) => void;
  onTo?: (value: string) => void;
}) {
  return (
    <>
      <div class="field">
        <label for={`${props.id}-from`}>{props.fromLabel ?? "From"}</label>
        <input id={`${props.id}-from`} name={props.names?.from} type="date" value={props.from} onChange={(e) => props.onFrom?.(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${props.id}-to`}>{props.toLabel ?? "To"}</label>
        <input
          id={`${props.id}-to`}
          name={props.names?.to}
          type="date"
          value={props.to}
          onChange={(e) => props.onTo?.(e.currentTarget.value)}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={errorIdFor(`${props.id}-to`, props.error)}
        />
        <FieldError for={`${props.id}-to`} message={props.error} alert />
      </div>
    </>
  );
}

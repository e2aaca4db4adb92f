/** Reading list filters out of the URL's search params. */
import type { SearchParams } from "@solidjs/router";

type Raw = SearchParams[string];

export function stringParam(raw: Raw): string | undefined {
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

export function pageParam(raw: Raw): number {
  const n = Number(stringParam(raw));
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** One of `values`, or undefined (a hand-edited URL falls back to "all"). */
export function enumParam<const T extends string>(raw: Raw, values: readonly T[]): T | undefined {
  const value = stringParam(raw);
  return values.find((v) => v === value);
}

/** A calendar date `YYYY-MM-DD`, or undefined. */
export function dateParam(raw: Raw): string | undefined {
  const value = stringParam(raw);
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/**
 * One boundary check for every string the API receives (JSON body keys and values, query values, the path):
 * NUL characters and unpaired UTF-16 surrogates are refused with VALIDATION_FAILED and the field that holds
 * them. Neither is ever meant: NUL truncates strings in C-based tools (PDF, CSV readers, mail transfer agents)
 * and a lone surrogate cannot be encoded as UTF-8 at all (it would be stored, mailed and exported as U+FFFD or
 * break the consumer). Refusing here keeps every route and every stored name clean without per-field rules.
 *
 * Runs as the second middleware of every route (worker/routes/define.ts): after the policy, before the route's
 * validators. Hono caches the body text (`c.req.json()`), so it is read once. A body that is not JSON is left to
 * the validator's own error.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { validationFailed } from "../errors";

/** NUL, or a surrogate that is not half of a pair (in a `u` regex a valid pair is one code point, not `\p{Cs}`). */
const UNSTORABLE = /[\0\p{Cs}]/u;
export const UNSTORABLE_TEXT_MESSAGE = "Remove the invalid character (a NUL character or a broken Unicode character) from this text.";

export const hasUnstorableText = (text: string) => UNSTORABLE.test(text);

/** The dotted path of the first string (or key) in `value` that cannot be stored, or null. */
export function findUnstorable(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path.join(".") || "_" : null;
  if (depth > 64 || value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return [...path, "_"].join(".");
    const found = findUnstorable(item, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

export const textInput = createMiddleware<AppEnv>(async (c, next) => {
  if (hasUnstorableText(c.req.path)) throw validationFailed({ _: UNSTORABLE_TEXT_MESSAGE }, "The address contains an invalid character.");
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (hasUnstorableText(name) || values.some(hasUnstorableText)) throw validationFailed({ [hasUnstorableText(name) ? "_" : name]: UNSTORABLE_TEXT_MESSAGE });
  }
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (c.req.raw.body && type === "application/json") {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return next(); // not JSON: the route's validator answers with its own message
    }
    const field = findUnstorable(body);
    if (field !== null) throw validationFailed({ [field]: UNSTORABLE_TEXT_MESSAGE });
  }
  await next();
});

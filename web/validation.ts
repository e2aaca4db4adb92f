/** Client-side validation with the API's own zod schemas: the same messages before the round trip. */
import type { z } from "zod";
import { ApiError } from "./api/client";

export function zodFieldErrors(schema: z.ZodType, input: unknown): ApiError | null {
  const result = schema.safeParse(input);
  if (result.success) return null;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    if (!(key in fields)) fields[key] = issue.message;
  }
  return new ApiError(400, "VALIDATION_FAILED", "Some fields are invalid.", "", fields);
}

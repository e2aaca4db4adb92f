import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";

/** The OpenAPI answer of an Export CSV route. */
export const csvResponse = (description: string) => ({ content: { "text/csv": { schema: z.string() } }, description });

/**
 * An Export CSV download named `{name}-{today}.csv` (today on the Worker's clock). No-store and nosniff come from
 * worker/middleware/security-headers.ts like every answer's.
 */
export function csvDownload(c: Context<AppEnv>, stream: ReadableStream<Uint8Array>, name: string): Response {
  const day = new Date(c.var.services.clock.now()).toISOString().slice(0, 10);
  return c.body(stream, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}-${day}.csv"` });
}

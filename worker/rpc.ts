/**
 * The portal's typed API client, compiled here so its type is computed once: `tsc -b` emits this file's
 * declaration (tsconfig.api.json) and web/ reads the finished type instead of re-inferring every route of
 * `AppType` on each check (docs/decisions/015a-portal-structure.md). Not imported by the Worker itself.
 */
import { hc } from "hono/client";
import type { AppType } from "./app";

const client = hc<AppType>("");
export type ApiClient = typeof client;
export const createApiClient = (...args: Parameters<typeof hc>): ApiClient => hc<AppType>(...args);

/**
 * zod's `locales` namespace (60 languages, 263 KiB): `@hono/zod-openapi` hands the whole `z` namespace to
 * `extendZodWithOpenApi`, so esbuild cannot drop the languages nobody selects. Error messages are English (zod
 * configures `en` itself, classic/schemas.js); only `z.locales.en` stays reachable.
 */
export { default as en } from "zod/v4/locales/en.js";

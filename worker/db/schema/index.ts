/**
 * The D1 schema, one file per area. drizzle-kit reads this index (drizzle.config.ts); migrations are
 * generated into migrations/ with `npx drizzle-kit generate --name <what_changed>`.
 */
export * from "./core";
export * from "./email";
export * from "./billing";
export * from "./security";
export * from "./payments";
export * from "./dunning";
export * from "./collection";

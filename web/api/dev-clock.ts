/** The development clock (docs/decisions/018a-dunning-extensions-and-dev-clock.md): read, move, run the dunning sweep. */
import { action, json, query } from "@solidjs/router";
import { client, unwrap } from "./client";

export const getDevClock = query(() => unwrap(client.api.dev.clock.$get()), "dev.clock");

export const advanceDevClock = action(async (days: number) => json(await unwrap(client.api.dev.clock.advance.$post({ json: { days } })), { revalidate: ["dev.clock", "dunning.standing", "dunning.list", "dunning.case"] }), "advanceDevClock");
export const resetDevClock = action(async () => json(await unwrap(client.api.dev.clock.reset.$post()), { revalidate: ["dev.clock", "dunning.standing", "dunning.list", "dunning.case"] }), "resetDevClock");
export const runDunningSweep = action(async () => json(await unwrap(client.api.dev.clock["dunning-sweep"].$post()), { revalidate: ["dev.clock", "dunning.standing", "dunning.list", "dunning.case"] }), "runDunningSweep");

import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { FreeCreditInput, TopUpInput, WalletSchema } from "../contract/wallet";
import type { AppEnv } from "../env";
import { allocateFreeCredit } from "../domain/wallet/allocate-free-credit";
import { getWallet } from "../domain/wallet/get-wallet";
import { topUpWallet } from "../domain/wallet/top-up";
import { userCtx } from "../domain/context";
import { json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Wallet"] });

const OrgParam = z.object({ id: z.string().min(1).max(64) });
const write = { audience: "operator", privilege: "billing.write" } as const;

const get = route.get("/api/organizations/{id}/wallet", { policy: { audience: "tenant", privilege: "billing.read" }, summary: "The organization's wallet: paid and free balances, free-credit grants", request: { params: OrgParam }, responses: { 200: json(WalletSchema, "The wallet") } });
const topUp = route.post("/api/organizations/{id}/wallet/top-ups", { policy: write, summary: "Top Up: add paid credit (idempotent on requestKey)", request: { params: OrgParam }, body: TopUpInput, responses: { 201: json(WalletSchema, "Credited"), 200: json(WalletSchema, "Already credited under this requestKey") } });
const freeCredit = route.post("/api/organizations/{id}/wallet/free-credits", { policy: write, summary: "Allocate Free Credit, optionally expiring (idempotent on requestKey)", request: { params: OrgParam }, body: FreeCreditInput, responses: { 201: json(WalletSchema, "Credited"), 200: json(WalletSchema, "Already credited under this requestKey") } });

export const walletRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getWallet({ ctx: userCtx(c), orgId: c.req.valid("param").id }), 200))
  .openapi(topUp, async (c) => {
    const r = await topUpWallet({ ctx: userCtx(c), orgId: c.req.valid("param").id, input: c.req.valid("json") });
    return r.created ? c.json(r.wallet, 201) : c.json(r.wallet, 200);
  })
  .openapi(freeCredit, async (c) => {
    const r = await allocateFreeCredit({ ctx: userCtx(c), orgId: c.req.valid("param").id, input: c.req.valid("json") });
    return r.created ? c.json(r.wallet, 201) : c.json(r.wallet, 200);
  });

/** "Payment Gateways": every supported gateway with its status; secrets as "set" and last 4 only. */
import { GATEWAY_IDS, type Gateway } from "../../contract/payments";
import { paymentGateways } from "../../db/schema";
import type { ActorContext } from "../context";
import { gatewayDto } from "./gateway-store";

export async function listGateways(args: { ctx: ActorContext }): Promise<{ items: Gateway[] }> {
  const { ctx } = args;
  const rows = await ctx.db.select().from(paymentGateways);
  return { items: GATEWAY_IDS.map((id) => gatewayDto(ctx.config, id, rows.find((r) => r.id === id))) };
}

/** "Delivery Configuration": every email type with its three controls. */
import type { DeliveryRule } from "../../contract/email-dto";
import { EMAIL_EVENTS } from "../../contract/email-events";
import type { ActorContext } from "../context";
import { DEFAULT_RULE, loadAllDeliveryRules } from "./delivery-rules";

export async function listDelivery(args: { ctx: ActorContext }): Promise<DeliveryRule[]> {
  const rules = await loadAllDeliveryRules(args.ctx);
  return EMAIL_EVENTS.map((e) => {
    const r = rules.get(e.key) ?? DEFAULT_RULE;
    return {
      event: e.key,
      label: e.label,
      trigger: e.trigger,
      alwaysToRecipient: !!e.alwaysToRecipient,
      noCopies: !!e.noCopies,
      sendToCustomers: e.alwaysToRecipient ? true : r.sendToCustomers,
      bccAdmin: e.noCopies ? false : r.bccAdmin,
      bccTo: e.noCopies ? [] : r.bccTo,
    };
  });
}

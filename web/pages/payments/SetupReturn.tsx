/**
 * Back on Payment Info from the bank's 3-D Secure page of Add a Card (Stripe sends the browser to the
 * SetupIntent's return_url with `setup_intent`, `setup_intent_client_secret` and `redirect_status`). The address
 * is only a pointer: the server asks the gateway for the SetupIntent (POST /api/payment-info/cards/confirm, ADR
 * 016) and stores the card if the bank confirmed it; the page says which, in words, and re-reads the card list.
 * The query is removed at once, so a reload does not ask again.
 */
import { Show, createSignal, onMount } from "solid-js";
import { action, json, useSearchParams } from "@solidjs/router";
import { cardLabel } from "../../../worker/contract/payments";
import { CARD_QUERIES, confirmCard } from "../../api/payments";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";

const confirmSetupReturn = action(async (intentId: string) => json(await confirmCard(intentId), { revalidate: CARD_QUERIES }), "confirmSetupReturn");

export function SetupReturn() {
  const [search, setSearch] = useSearchParams();
  const check = useFormAction(confirmSetupReturn);
  const [added, setAdded] = createSignal<string>();

  onMount(async () => {
    const intentId = search.setup_intent;
    if (typeof intentId !== "string" || !intentId.startsWith("seti_")) return;
    setSearch({ setup_intent: undefined, setup_intent_client_secret: undefined, redirect_status: undefined }, { replace: true });
    const r = await check.submit(intentId);
    if (r?.status === "saved") setAdded(`Card added: ${cardLabel(r.card)}.`);
  });

  return (
    <>
      <Show when={check.pending()}><p role="status" class="muted">Checking with your bank…</p></Show>
      <Show when={added()}><SuccessNotice>{added()}</SuccessNotice></Show>
      <Show when={check.error()}><ErrorNotice error={check.error()} title="Your bank did not confirm the card." /></Show>
    </>
  );
}

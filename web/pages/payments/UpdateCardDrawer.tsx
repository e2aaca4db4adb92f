import { createSignal, Show } from "solid-js";
import { cardLabel, UpdateCardInput, type Card, type UpdateCardResult } from "../../../worker/contract/payments";
import { updateCard } from "../../api/payments";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";
import { zodFieldErrors } from "../../validation";
import { CardholderNameField } from "./CardFields";

/**
 * Payment Info » Update: the card's Cardholder Name and Expiry Date (MM/YY), changed at the gateway, which checks
 * the expiry (docs/decisions/016c-card-settings.md). The number and CVV cannot change: that is "Replace".
 */
export function UpdateCardDrawer(props: { card: Card; onClose: () => void; onSaved: (result: UpdateCardResult) => void }) {
  const form = useFormAction(updateCard);
  const [name, setName] = createSignal(props.card.cardholderName ?? "");
  const [expiry, setExpiry] = createSignal(`${String(props.card.expMonth).padStart(2, "0")}/${String(props.card.expYear % 100).padStart(2, "0")}`);

  async function save(e: Event) {
    e.preventDefault();
    const input = { cardholderName: name(), expiry: expiry() };
    const refused = zodFieldErrors(UpdateCardInput, input);
    if (refused) return form.refuse(refused);
    const result = await form.submit(props.card.id, UpdateCardInput.parse(input));
    if (result) props.onSaved(result);
  }

  return (
    <Drawer open title={`Update ${cardLabel(props.card)}`} onClose={props.onClose}
      footer={<>
        <button type="button" class="btn" onClick={() => props.onClose()}>Cancel</button>
        <button type="submit" form="update-card-form" class="btn btn-primary" aria-disabled={form.pending() ? true : undefined}>{form.pending() ? "Saving…" : "Save"}</button>
      </>}>
      <Show when={form.error() && Object.keys(form.errors()).length === 0}><ErrorNotice error={form.error()} title="The card was not updated." /></Show>
      <form id="update-card-form" novalidate onSubmit={save}>
        <CardholderNameField id="update-cardholder-name" value={name()} onInput={setName} error={form.fieldError("cardholderName")} />
        <div class="field">
          <label for="update-expiry">Expiry Date</label>
          <input id="update-expiry" type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" value={expiry()} onInput={(e) => setExpiry(e.currentTarget.value)}
            aria-invalid={form.fieldError("expiry") ? true : undefined} aria-describedby={errorIdFor("update-expiry", form.fieldError("expiry"))} />
          <FieldError for="update-expiry" message={form.fieldError("expiry")} />
        </div>
        <p class="muted">The card number and CVV cannot be changed; to use another card, choose Replace.</p>
      </form>
    </Drawer>
  );
}

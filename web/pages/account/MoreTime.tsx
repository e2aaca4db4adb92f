/**
 * "Ask for more time" (linked from the Warning banner and the pay-only screen; under /account, so reachable while
 * suspended): how many more days and why, and where an earlier request stands. Billing staff approve (dunning
 * pauses until then) or decline it on the Dunning case page (docs/decisions/018a-dunning-extensions-and-dev-clock.md).
 */
import { Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { EXTENSION_MAX_DAYS, RequestExtensionInput } from "../../../worker/contract/dunning";
import { getDunningStanding, requestExtension } from "../../api/dunning";
import { AsyncView } from "../../components/AsyncView";
import { extensionStatus, PAY_HREF } from "../../components/Dunning";
import { Field, ReasonField, describedBy } from "../../components/Field";
import { FormRefusal, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { useFormAction } from "../../forms";
import { zodFieldErrors } from "../../validation";

export default function MoreTime() {
  const standing = createAsync(() => getDunningStanding());
  return (
    <div class="page">
      <PageHeader title="Ask for more time" trail={[{ label: "Account Settings" }, { label: "Ask for more time" }]} />
      <AsyncView data={standing} loading="Loading…">
        {(s) => (
          <>
            <Show when={extensionStatus(s())}><p role="status">{extensionStatus(s())}</p></Show>
            <Show when={s().canRequestExtension} fallback={<Show when={!s().extension}><p>Your organization has nothing overdue to ask more time for.</p></Show>}>
              <RequestForm />
            </Show>
            <p><a href={PAY_HREF}>Pay overdue invoices</a> instead.</p>
          </>
        )}
      </AsyncView>
    </div>
  );
}

function RequestForm() {
  const form = useFormAction(requestExtension);
  const [sent, setSent] = createSignal(false);
  let formEl!: HTMLFormElement;
  const err = (f: string) => form.fieldError(f);

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(formEl);
    const raw = String(data.get("days") ?? "").trim();
    const input = { days: raw === "" ? Number.NaN : Number(raw), reason: String(data.get("reason") ?? "") };
    const local = zodFieldErrors(RequestExtensionInput, input);
    if (local) return form.refuse(local);
    if (await form.submit(input)) {
      formEl.reset();
      setSent(true);
    }
  }

  return (
    <form ref={formEl} novalidate onSubmit={onSubmit}>
      <p>Tell us how many more days you need (at most {EXTENSION_MAX_DAYS}) and why. Billing staff will answer by email; until then the process runs on.</p>
      <Show when={sent()}><SuccessNotice>Your request was sent.</SuccessNotice></Show>
      <FormRefusal form={form} title="Your request was not sent." />
      <Field id="extension-days" label="Days" error={err("days")}>
        <input id="extension-days" name="days" type="number" min="1" max={EXTENSION_MAX_DAYS} step="1" inputmode="numeric" aria-invalid={err("days") ? true : undefined} aria-describedby={describedBy("extension-days", err("days"))} />
      </Field>
      <ReasonField id="extension-reason" error={err("reason")} />
      <button type="submit" class="btn btn-primary" disabled={form.pending()}>Send request</button>
    </form>
  );
}

import { For, Show, createSignal, type Accessor } from "solid-js";
import { createAsync, useAction } from "@solidjs/router";
import type { DeliveryRule } from "../../../worker/contract/email-dto";
import { isApiError } from "../../api/client";
import { getDelivery, saveDelivery } from "../../api/email";
import { AsyncView } from "../../components/AsyncView";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

/** Configuration » Email Settings » Delivery Configuration: who receives each email type. */
export default function DeliveryConfiguration() {
  const session = useSession();
  const rules = createAsync(() => getDelivery());
  return (
    <div class="page">
      <PageHeader title="Delivery Configuration" trail={menuPath(session(), "/email/delivery")} />
      <p class="muted">
        “Send To All Customers/Reseller” unchecked: the email is not sent to customers or resellers (security emails always reach their user). “BCC to me” sends a separate copy
        to the Cloud-Admin's own address; “BCC to” sends a separate copy to each address (comma-separated).
      </p>
      <AsyncView data={rules} loading="Loading delivery rules…">
        {(r) => <RulesForm rules={r} />}
      </AsyncView>
    </div>
  );
}

interface Row {
  event: string;
  sendToCustomers: boolean;
  bccAdmin: boolean;
  bccTo: string;
}

function RulesForm(props: { rules: Accessor<DeliveryRule[]> }) {
  const [rows, setRows] = createSignal<Row[]>(props.rules().map((r) => ({ event: r.event, sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: r.bccTo.join(", ") })));
  const [error, setError] = createSignal<unknown>();
  const [saved, setSaved] = createSignal(false);
  const [pending, setPending] = createSignal(false);
  const run = useAction(saveDelivery);
  const fieldFor = (i: number) => {
    const e = error();
    if (!isApiError(e) || !e.fields) return undefined;
    const hit = Object.entries(e.fields).find(([k]) => k === `rules.${i}.bccTo` || k.startsWith(`rules.${i}.bccTo.`));
    return hit?.[1];
  };
  const update = (i: number, patch: Partial<Row>) => {
    setRows(rows().map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setSaved(false);
  };

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (pending()) return;
    setPending(true);
    setSaved(false);
    setError(undefined);
    try {
      const next = await run({
        rules: rows().map((r) => ({ event: r.event, sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: r.bccTo.split(/[,;\s]+/).map((a) => a.trim()).filter(Boolean) })),
      });
      setRows(next.map((r) => ({ event: r.event, sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: r.bccTo.join(", ") })));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  const def = (i: number) => props.rules()[i]!;

  return (
    <>
      <Show when={saved()}>
        <SuccessNotice>Delivery settings saved.</SuccessNotice>
      </Show>
      <Show when={error()}>
        <ErrorNotice error={error()} title="The delivery settings were not saved." />
      </Show>
      <form id="delivery-form" novalidate onSubmit={submit}>
        <div class="table-wrap" role="region" aria-labelledby="delivery-caption" tabindex="0">
          <table class="table">
            <caption id="delivery-caption" class="sr-only">
              Delivery rules per email type
            </caption>
            <thead>
              <tr>
                <th scope="col">Email type</th>
                <th scope="col">Send To All Customers/Reseller</th>
                <th scope="col">BCC to me</th>
                <th scope="col">BCC to</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(row, i) => (
                  <tr>
                    <th scope="row">
                      {def(i()).label}
                      <div class="muted">{def(i()).trigger}</div>
                    </th>
                    <td>
                      <input
                        id={`send-${row.event}`}
                        type="checkbox"
                        checked={row.sendToCustomers}
                        disabled={def(i()).alwaysToRecipient}
                        onChange={(e) => update(i(), { sendToCustomers: e.currentTarget.checked })}
                        aria-describedby={def(i()).alwaysToRecipient ? `always-${row.event}` : undefined}
                      />
                      <label for={`send-${row.event}`} class="sr-only">
                        Send {def(i()).label} to all customers/resellers
                      </label>
                      <Show when={def(i()).alwaysToRecipient}>
                        <div id={`always-${row.event}`} class="field-hint">
                          Always sent to its recipient.
                        </div>
                      </Show>
                    </td>
                    <td>
                      <input id={`bccme-${row.event}`} type="checkbox" checked={row.bccAdmin} disabled={def(i()).noCopies} onChange={(e) => update(i(), { bccAdmin: e.currentTarget.checked })} />
                      <label for={`bccme-${row.event}`} class="sr-only">
                        BCC {def(i()).label} to me
                      </label>
                    </td>
                    <td>
                      <label for={`bccto-${row.event}`} class="sr-only">
                        BCC {def(i()).label} to
                      </label>
                      <input
                        id={`bccto-${row.event}`}
                        type="text"
                        value={row.bccTo}
                        disabled={def(i()).noCopies}
                        placeholder={def(i()).noCopies ? "Never copied" : "name@example.com, …"}
                        onInput={(e) => update(i(), { bccTo: e.currentTarget.value })}
                        aria-invalid={fieldFor(i()) ? true : undefined}
                        aria-describedby={errorIdFor(`bccto-${row.event}`, fieldFor(i()))}
                      />
                      <FieldError for={`bccto-${row.event}`} message={fieldFor(i())} />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </form>
      <FooterBar>
        <button type="submit" form="delivery-form" class="btn btn-primary" aria-disabled={pending()}>
          Save
        </button>
      </FooterBar>
    </>
  );
}

import { For, Show, createMemo, createSignal, type Accessor } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { DeliveryRule } from "../../../worker/contract/email-dto";
import { ApiError, isApiError } from "../../api/client";
import { getDelivery, saveDelivery } from "../../api/email";
import { AsyncView } from "../../components/AsyncView";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar } from "../../components/FooterBar";
import { useFormAction } from "../../forms";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";

/** Configuration » Email Settings » Delivery Configuration: who receives each email type. */
export default function DeliveryConfiguration() {
  const rules = createAsync(() => getDelivery());
  return (
    <div class="page">
      <PageHeader title="Delivery Configuration" menu="/email/delivery" />
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

const splitAddresses = (text: string) => text.split(/[,;\s]+/).map((a) => a.trim()).filter(Boolean);

/**
 * Field errors of a save, one message per row that names the address(es) at fault — the API reports one
 * "Enter a valid email address." per address (`rules.3.bccTo.1`), which said neither which row nor which address.
 */
function rowErrors(fields: Record<string, string>, sent: string[][]): Map<number, string> {
  const byRow = new Map<number, { bad: string[]; other: string[] }>();
  for (const [key, message] of Object.entries(fields)) {
    const m = /^rules\.(\d+)\.bccTo(?:\.(\d+))?$/.exec(key);
    if (!m) continue;
    const row = Number(m[1]);
    const entry = byRow.get(row) ?? { bad: [], other: [] };
    const address = m[2] !== undefined ? sent[row]?.[Number(m[2])] : undefined;
    if (address !== undefined && /valid email/i.test(message)) entry.bad.push(address);
    else entry.other.push(message);
    byRow.set(row, entry);
  }
  const out = new Map<number, string>();
  for (const [row, { bad, other }] of byRow) {
    const quoted = bad.map((a) => `“${a}”`);
    const badText = bad.length === 0 ? "" : bad.length === 1 ? `${quoted[0]} is not a valid email address.` : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)} are not valid email addresses.`;
    out.set(row, [badText, ...other].filter(Boolean).join(" "));
  }
  return out;
}

function RulesForm(props: { rules: Accessor<DeliveryRule[]> }) {
  const [rows, setRows] = createSignal<Row[]>(props.rules().map((r) => ({ event: r.event, sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: r.bccTo.join(", ") })));
  const [saved, setSaved] = createSignal(false);
  const form = useFormAction(saveDelivery);
  const { error, pending } = form;
  let sent: string[][] = [];
  const errorsByRow = createMemo(() => {
    const e = error();
    return isApiError(e) && e.fields ? rowErrors(e.fields, sent) : new Map<number, string>();
  });
  const fieldFor = (i: number) => errorsByRow().get(i);
  /** The summary at the top: one line per row at fault, saying which email type it is. */
  const summary = createMemo(() => {
    const e = error();
    if (!isApiError(e) || errorsByRow().size === 0) return e;
    const fields = Object.fromEntries([...errorsByRow()].map(([i, message]) => [`rules.${i}.bccTo`, `${props.rules()[i]?.label ?? rows()[i]?.event}, BCC to: ${message}`]));
    return new ApiError(e.status, e.code, e.message, e.requestId, fields);
  });
  const update = (i: number, patch: Partial<Row>) => {
    setRows(rows().map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setSaved(false);
  };

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (pending()) return;
    setSaved(false);
    sent = rows().map((r) => splitAddresses(r.bccTo));
    const next = await form.submit({
      rules: rows().map((r, i) => ({ event: r.event, sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: sent[i]! })),
    });
    if (!next) return;
    setRows(next.map((r) => ({ event: r.event, sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: r.bccTo.join(", ") })));
    setSaved(true);
  }

  const def = (i: number) => props.rules()[i]!;

  return (
    <>
      <Show when={saved()}>
        <SuccessNotice>Delivery settings saved.</SuccessNotice>
      </Show>
      <Show when={error()}>
        <ErrorNotice error={summary()} title="The delivery settings were not saved." />
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

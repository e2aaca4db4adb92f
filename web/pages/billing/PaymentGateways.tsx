import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { z } from "zod";
import { CARD_BRANDS, CARD_BRAND_LABELS, SaveAdpayGatewayInput, SaveStripeGatewayInput, type CardBrand, type Gateway, type VerifyResult } from "../../../worker/contract/payments";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getGateways, verifyAdpay, verifyStripe } from "../../api/payments";
import { AsyncView } from "../../components/AsyncView";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { Icon } from "../../components/Icon";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { useFormAction } from "../../forms";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { zodFieldErrors } from "../../validation";

/** Billing Configurations » Payment Gateways: every supported gateway, its status, and its configuration drawer. */
export default function PaymentGateways() {
  const session = useSession();
  const gateways = createAsync(() => getGateways());
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const [editing, setEditing] = createSignal<Gateway | null>(null);
  const [result, setResult] = createSignal<VerifyResult | null>(null);
  const trail = () => [...menuPath(session(), "/billing/configurations"), { label: "Payment Gateways" }];
  return (
    <div class="page">
      <PageHeader title="Payment Gateways" trail={trail()} />
      <Show when={result()}>
        {(r) => (r().verified ? <SuccessNotice>{r().message}</SuccessNotice> : <p class="banner banner-danger" role="alert">{r().gateway.label} was saved but not verified: {r().message}</p>)}
      </Show>
      <AsyncView data={gateways} loading="Loading payment gateways…">
        {(list) => (
          <div class="table-wrap" role="region" aria-labelledby="gw-caption" tabindex="0">
            <table class="table">
              <caption id="gw-caption" class="sr-only">Payment gateways</caption>
              <thead>
                <tr><th scope="col">Gateway</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Offers</th><Show when={canWrite()}><th scope="col"><span class="sr-only">Actions</span></th></Show></tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(g) => (
                    <tr>
                      <th scope="row">{g.label}</th>
                      <td>{g.status}<Show when={g.verifyError}>{(e) => <div class="muted">{e()}</div>}</Show></td>
                      <td>{g.mode === "live" ? "Live" : g.mode === "test" ? "Test" : "—"}</td>
                      <td>{g.capabilities.includes("tokenize") ? "Cards on file, automatic charges" : "Pay by redirect"}</td>
                      <Show when={canWrite()}>
                        <td><button type="button" class="btn btn-small btn-icon" aria-label={`Edit ${g.label}`} title="Edit" onClick={() => setEditing(g)}><Icon name="edit" /></button></td>
                      </Show>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </AsyncView>
      <Show when={editing()?.id === "stripe" ? editing() : null}>
        {(g) => <StripeDrawer gateway={g()} onClose={() => setEditing(null)} onDone={(r) => { setResult(r); setEditing(null); }} />}
      </Show>
      <Show when={editing()?.id === "adpay" ? editing() : null}>
        {(g) => <AdpayDrawer gateway={g()} onClose={() => setEditing(null)} onDone={(r) => { setResult(r); setEditing(null); }} />}
      </Show>
    </div>
  );
}

/** A secret field: never pre-filled (the server never returns secrets); says whether one is set and its last 4. */
function SecretField(props: { id: string; name: string; label: string; hint: { set: boolean; last4: string | null }; value: string; onInput: (v: string) => void; error?: string }) {
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} type="password" autocomplete="off" spellcheck={false} value={props.value} aria-describedby={[hintId, errorIdFor(props.name, props.error) ?? ""].join(" ").trim()} onInput={(e) => props.onInput(e.currentTarget.value.trim())} />
      <p id={hintId} class="muted">{props.hint.set ? `Set (ends in …${props.hint.last4}). Leave empty to keep it.` : "Not set."}</p>
      <FieldError for={props.name} message={props.error} />
    </div>
  );
}

/** What a drawer needs of its `useFormAction` (web/forms.ts): pending state and field errors come from the action's submission. */
interface VerifyAction<I> {
  submit(input: I): Promise<VerifyResult | undefined>;
  refuse(err: unknown): void;
  errors(): Record<string, string>;
  error(): unknown;
  pending(): boolean;
}

/** A drawer's Verify: the input is checked in the browser with the server's own schema first, then saved and verified. */
function useVerify<I>(act: VerifyAction<I>, schema: z.ZodType, onDone: (r: VerifyResult) => void) {
  async function run(input: I) {
    const local = zodFieldErrors(schema, input);
    if (local) return act.refuse(local);
    const result = await act.submit(input);
    if (result) onDone(result);
  }
  return { fields: () => act.errors(), error: () => act.error(), pending: () => act.pending(), run };
}

function VerifyFooter(props: { formId: string; pending: boolean; onClose: () => void }) {
  return (
    <>
      <button type="button" class="btn" onClick={() => props.onClose()}>Cancel</button>
      <button type="submit" form={props.formId} class="btn btn-primary" aria-disabled={props.pending ? true : undefined}>{props.pending ? "Verifying…" : "Verify"}</button>
    </>
  );
}

function StripeDrawer(props: { gateway: Gateway; onClose: () => void; onDone: (r: VerifyResult) => void }) {
  const s = props.gateway.stripe!;
  const [enabled, setEnabled] = createSignal(props.gateway.enabled);
  const [publicKey, setPublicKey] = createSignal(s.publicKey);
  const [secretKey, setSecretKey] = createSignal("");
  const [webhookSecret, setWebhookSecret] = createSignal("");
  const [brands, setBrands] = createSignal<CardBrand[]>([...s.acceptedBrands]);
  const [badge, setBadge] = createSignal(s.securityBadge);
  const v = useVerify(useFormAction(verifyStripe), SaveStripeGatewayInput, props.onDone);
  const toggleBrand = (b: CardBrand, on: boolean) => setBrands(on ? [...brands(), b] : brands().filter((x) => x !== b));
  const submit = (e: Event) => {
    e.preventDefault();
    void v.run({ enabled: enabled(), publicKey: publicKey().trim(), secretKey: secretKey(), webhookSecret: webhookSecret(), acceptedBrands: brands(), securityBadge: badge() });
  };
  return (
    <Drawer open title="Stripe" onClose={props.onClose} footer={<VerifyFooter formId="stripe-form" pending={v.pending()} onClose={props.onClose} />}>
      <Show when={v.error() && !Object.keys(v.fields()).length}><ErrorNotice error={v.error()} title="Not saved." /></Show>
      <form id="stripe-form" novalidate onSubmit={submit}>
        <div class="switch-row field">
          <input id="stripe-enabled" type="checkbox" role="switch" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <label for="stripe-enabled">Enable</label>
        </div>
        <Show when={props.gateway.mode}><p class="muted">Mode: {props.gateway.mode === "live" ? "Live" : "Test"} (from the saved secret key).</p></Show>
        <div class="field">
          <label for="stripe-public-key">Public Key</label>
          <input id="stripe-public-key" type="text" autocomplete="off" spellcheck={false} value={publicKey()} aria-describedby={errorIdFor("publicKey", v.fields().publicKey)} onInput={(e) => setPublicKey(e.currentTarget.value)} />
          <FieldError for="publicKey" message={v.fields().publicKey} />
        </div>
        <SecretField id="stripe-secret-key" name="secretKey" label="Secret Key" hint={s.secretKey} value={secretKey()} onInput={setSecretKey} error={v.fields().secretKey} />
        <fieldset class="fieldset" aria-describedby={errorIdFor("acceptedBrands", v.fields().acceptedBrands)}>
          <legend>Accepted card types</legend>
          <For each={CARD_BRANDS}>
            {(b) => (
              <div class="check">
                <input id={`brand-${b}`} type="checkbox" checked={brands().includes(b)} onChange={(e) => toggleBrand(b, e.currentTarget.checked)} />
                <label for={`brand-${b}`}>{CARD_BRAND_LABELS[b]}</label>
              </div>
            )}
          </For>
          <FieldError for="acceptedBrands" message={v.fields().acceptedBrands} />
        </fieldset>
        <div class="switch-row field">
          <input id="stripe-badge" type="checkbox" role="switch" checked={badge()} aria-describedby="stripe-badge-hint" onChange={(e) => setBadge(e.currentTarget.checked)} />
          <label for="stripe-badge">Security Badge</label>
        </div>
        <p id="stripe-badge-hint" class="muted">Shows “Protected by Stripe” on the customers' Payment Info page.</p>
        <h3>Webhook</h3>
        <div class="field">
          <label for="stripe-webhook-url">Webhook URL</label>
          <input id="stripe-webhook-url" type="text" readonly value={s.webhookUrl} aria-describedby="stripe-webhook-events" onFocus={(e) => e.currentTarget.select()} />
          <p id="stripe-webhook-events" class="muted">Add this endpoint in the Stripe Dashboard (Developers » Webhooks) with these events: {s.webhookEvents.join(", ")}.</p>
        </div>
        <SecretField id="stripe-webhook-secret" name="webhookSecret" label="Webhook Signing Secret" hint={s.webhookSecret} value={webhookSecret()} onInput={setWebhookSecret} error={v.fields().webhookSecret} />
      </form>
    </Drawer>
  );
}

function AdpayDrawer(props: { gateway: Gateway; onClose: () => void; onDone: (r: VerifyResult) => void }) {
  const a = props.gateway.adpay!;
  const [enabled, setEnabled] = createSignal(props.gateway.enabled);
  const [merchantId, setMerchantId] = createSignal(a.merchantId);
  const [apiKey, setApiKey] = createSignal("");
  const [secret, setSecret] = createSignal("");
  const v = useVerify(useFormAction(verifyAdpay), SaveAdpayGatewayInput, props.onDone);
  const submit = (e: Event) => {
    e.preventDefault();
    void v.run({ enabled: enabled(), merchantId: merchantId().trim(), apiKey: apiKey(), secret: secret() });
  };
  return (
    <Drawer open title="ADPAY" onClose={props.onClose} footer={<VerifyFooter formId="adpay-form" pending={v.pending()} onClose={props.onClose} />}>
      <Show when={v.error() && !Object.keys(v.fields()).length}><ErrorNotice error={v.error()} title="Not saved." /></Show>
      <form id="adpay-form" novalidate onSubmit={submit}>
        <div class="switch-row field">
          <input id="adpay-enabled" type="checkbox" role="switch" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <label for="adpay-enabled">Enable</label>
        </div>
        <p class="muted">Customers pay on ADPAY's own page (redirect); ADPAY keeps no card on file for automatic charges. Mode: {props.gateway.mode === "live" ? "Live" : props.gateway.mode === "test" ? "Test" : "from the API key"}.</p>
        <div class="field">
          <label for="adpay-merchant">Merchant ID</label>
          <input id="adpay-merchant" type="text" autocomplete="off" value={merchantId()} aria-describedby={errorIdFor("merchantId", v.fields().merchantId)} onInput={(e) => setMerchantId(e.currentTarget.value)} />
          <FieldError for="merchantId" message={v.fields().merchantId} />
        </div>
        <SecretField id="adpay-api-key" name="apiKey" label="API Key" hint={a.apiKey} value={apiKey()} onInput={setApiKey} error={v.fields().apiKey} />
        <SecretField id="adpay-secret" name="secret" label="Secret" hint={a.secret} value={secret()} onInput={setSecret} error={v.fields().secret} />
        <div class="field">
          <label for="adpay-callback">Callback URL</label>
          <input id="adpay-callback" type="text" readonly value={a.callbackUrl} onFocus={(e) => e.currentTarget.select()} />
        </div>
      </form>
    </Drawer>
  );
}

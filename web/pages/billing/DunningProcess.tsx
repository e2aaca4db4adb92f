/**
 * Billing Configurations → "Dunning Process": per phase "All Customer/Resellers" and "No of Days", how often
 * warning emails repeat, and what saving would do today (open cases keep their policy). ADR 018.
 */
import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { DUNNING_STATE_LABELS, DunningPolicySchema } from "../../../worker/contract/dunning";
import { getDunningSettings, previewDunning, saveDunning, type DunningPolicy, type DunningPreview } from "../../api/dunning";
import { FieldError } from "../../components/FieldError";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";
import { zodFieldErrors } from "../../validation";

const PHASES = [
  ["grace", "Grace Period"],
  ["warning", "Warning Notification"],
  ["suspended", "Account Suspension"],
  ["delete_notice", "Delete Notification"],
] as const;

export function DunningProcessSection(props: { canWrite: boolean }) {
  const settings = createAsync(() => getDunningSettings());
  return (
    <section class="section" aria-labelledby="dunning-title">
      <h2 id="dunning-title">Dunning Process</h2>
      <Show when={settings()} fallback={<p class="muted">Loading…</p>}>
        {(s) => <DunningForm policy={s().policy} preview={s().preview} canWrite={props.canWrite} />}
      </Show>
    </section>
  );
}

function describe(p: DunningPreview): string {
  const parts = Object.entries(p.wouldEnter).map(([state, n]) => `${n} would be in ${DUNNING_STATE_LABELS[state as keyof typeof DUNNING_STATE_LABELS]} today`);
  return `${parts.length ? parts.join(", ") : "No organization would enter dunning today"}. ${p.openCases} open case(s) keep the policy they started with.`;
}

function DunningForm(props: { policy: DunningPolicy; preview: DunningPreview; canWrite: boolean }) {
  const [policy, setPolicy] = createSignal<DunningPolicy>(structuredClone(props.policy));
  const [preview, setPreview] = createSignal<DunningPreview | null>(null);
  const [saved, setSaved] = createSignal(false);
  const save = useFormAction(saveDunning);
  const asking = useFormAction(previewDunning);
  const fields = () => ({ ...asking.errors(), ...save.errors() });
  const error = () => save.error() ?? asking.error();
  const setPhase = (key: (typeof PHASES)[number][0], patch: Partial<DunningPolicy["grace"]>) => setPolicy((p) => ({ ...p, [key]: { ...p[key], ...patch } }));

  /** The server's own schema, in the browser: field messages only, nothing sent while one is wrong. */
  function valid(): DunningPolicy | null {
    asking.reset();
    return save.check(zodFieldErrors(DunningPolicySchema, policy())?.fields ?? {}) ? policy() : null;
  }
  async function onPreview() {
    const p = valid();
    const answer = p && (await asking.submit(p));
    if (answer) setPreview(answer);
  }
  async function onSubmit(e: Event) {
    e.preventDefault();
    if (save.pending()) return;
    const p = valid();
    if (!p) return;
    setSaved(false);
    const s = await save.submit(p);
    if (s) {
      setPreview(s.preview);
      setSaved(true);
    }
  }
  return (
    <form id="dunning-form" novalidate onSubmit={onSubmit}>
      <Show when={saved()}><SuccessNotice>Dunning Process saved.</SuccessNotice></Show>
      <Show when={error()}><ErrorNotice error={error()} title="The Dunning Process was not saved." /></Show>
      <p class="muted">A phase that is off is skipped. After the last phase, resources are terminated and subscriptions cancelled.</p>
      <For each={PHASES}>
        {([key, label]) => (
          <fieldset class="field-group">
            <legend>{label}</legend>
            <div class="form-grid">
              <div class="field checkbox-field">
                <input id={`dunning-${key}-on`} type="checkbox" checked={policy()[key].enabled} disabled={!props.canWrite} onChange={(e) => setPhase(key, { enabled: e.currentTarget.checked })} />
                <label for={`dunning-${key}-on`}>All Customer/Resellers</label>
              </div>
              <div class="field">
                <label for={`dunning-${key}-days`}>No of Days</label>
                <input id={`dunning-${key}-days`} type="number" min="1" max="365" inputmode="numeric" value={policy()[key].days} disabled={!props.canWrite}
                  onInput={(e) => setPhase(key, { days: Number(e.currentTarget.value) })} />
                <FieldError for={`${key}.days`} message={fields()[`${key}.days`]} />
              </div>
            </div>
          </fieldset>
        )}
      </For>
      <div class="field">
        <label for="dunning-every">Repeat warning emails every (days)</label>
        <input id="dunning-every" type="number" min="1" max="30" inputmode="numeric" value={policy().warningEveryDays} disabled={!props.canWrite}
          onInput={(e) => setPolicy((p) => ({ ...p, warningEveryDays: Number(e.currentTarget.value) }))} />
        <FieldError for="warningEveryDays" message={fields().warningEveryDays} />
      </div>
      <p role="status" class="muted">{describe(preview() ?? props.preview)}</p>
      <Show when={props.canWrite}>
        <div class="form-actions">
          <button type="button" class="btn" onClick={() => void onPreview()}>Preview</button>
          <button type="submit" class="btn btn-primary" aria-disabled={save.pending()}>Save Dunning Process</button>
        </div>
      </Show>
    </form>
  );
}

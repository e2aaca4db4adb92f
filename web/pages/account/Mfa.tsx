import { Show, createSignal, type Accessor } from "solid-js";
import { createAsync, revalidate, useAction, useSubmission } from "@solidjs/router";
import type { MfaStatus, TotpSetup } from "../../../worker/contract/account";
import { disableMfa, enableTotp, getMfaPolicy, getMfaStatus, getPasskeys, regenerateRecoveryCodes, setMfaPolicy, setupTotp } from "../../api/account";
import { isApiError } from "../../api/client";
import { AsyncView } from "../../components/AsyncView";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar, SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { RecoveryCodesPanel } from "../../components/RecoveryCodes";
import { createStepUp } from "../../components/StepUp";
import { TotpEnrolment } from "../../components/TotpEnrolment";
import { formatDateTime } from "../../format";
import { useFormAction } from "../../forms";
import { useSession } from "../../session";

const HREF = "/account/mfa";

/** User Management & Services >> Account Settings >> Multi Factor Authentication. */
export default function MultiFactorAuthentication() {
  const session = useSession();
  const status = createAsync(() => getMfaStatus());
  return (
    <div class="page">
      <PageHeader title="Multi Factor Authentication" menu={HREF} />
      <AsyncView data={status} loading="Loading MFA settings…">
        {(s) => <MfaScreen status={s} />}
      </AsyncView>
      <Show when={session().user.role === "cloud_admin"}>
        <MfaPolicySection />
      </Show>
    </div>
  );
}

function MfaScreen(props: { status: Accessor<MfaStatus> }) {
  const session = useSession();
  const [setup, setSetup] = createSignal<TotpSetup>();
  const [codes, setCodes] = createSignal<string[]>();
  const [error, setError] = createSignal<unknown>();
  const [notice, setNotice] = createSignal<string>();
  const enabling = useSubmission(enableTotp);
  const disabling = useFormAction(disableMfa);
  const passkeys = createAsync(() => getPasskeys());
  const stepUp = createStepUp({ mfa: () => props.status().totpEnabled, passkeys: () => (passkeys()?.length ?? 0) > 0 });
  const s = props.status;

  async function toggle(on: boolean) {
    setError(undefined);
    setNotice(undefined);
    if (!on) {
      setSetup(undefined);
      return;
    }
    try {
      setSetup(await setupTotp());
    } catch (err) {
      setError(err);
    }
  }

  async function regenerate() {
    setError(undefined);
    setNotice(undefined);
    try {
      const result = await stepUp.guard(() => regenerateRecoveryCodes());
      if (result) {
        setCodes(result.recoveryCodes);
        void revalidate(getMfaStatus.key);
      }
    } catch (err) {
      setError(err);
    }
  }

  // A wrong code is shown on the code field; STEP_UP_REQUIRED is answered by the step-up dialog, not shown.
  const disableRefusal = () => {
    const err = disabling.error();
    return isApiError(err) && err.code === "STEP_UP_REQUIRED" ? undefined : err;
  };
  const disableError = () => {
    const err = disableRefusal();
    return disabling.fieldError("code") ?? (isApiError(err) && err.code === "INVALID_CODE" ? err.message : undefined);
  };
  const pageError = () => error() ?? (disableError() ? undefined : disableRefusal());
  async function disable(e: SubmitEvent) {
    e.preventDefault();
    if (disabling.pending()) return;
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem("code") as HTMLInputElement;
    const code = input.value.trim();
    setError(undefined);
    if (!disabling.check(code ? {} : { code: "Enter a code from your authenticator app or a recovery code." })) {
      input.focus();
      return;
    }
    try {
      if (await stepUp.guard(() => disabling.attempt(code))) {
        setCodes(undefined);
        setNotice("Multi-factor authentication is turned off.");
        void revalidate(getMfaStatus.key);
      }
    } catch {
      if (disableError()) input.focus();
    }
  }

  return (
    <>
      <Show when={notice()}>
        <SuccessNotice>{notice()}</SuccessNotice>
      </Show>
      <Show when={pageError()}>
        <ErrorNotice error={pageError()} />
      </Show>
      <Show when={s().required && !s().totpEnabled}>
        <div class="notice notice-error" role="alert">
          Your platform requires multi-factor authentication for your account. Enable it below.
        </div>
      </Show>
      <Show when={codes()}>{(c) => <RecoveryCodesPanel codes={c()} account={session().user.email} />}</Show>
      <Show
        when={s().totpEnabled}
        fallback={
          <section class="section" aria-labelledby="mfa-setup-title">
            <h2 id="mfa-setup-title">Authenticator app</h2>
            <p>Use Google Authenticator or Microsoft Authenticator: after your password, each sign-in asks for the 6-digit code the app shows.</p>
            <div class="switch-row">
              <input id="mfa-toggle" type="checkbox" role="switch" checked={!!setup()} onChange={(e) => void toggle(e.currentTarget.checked)} />
              <label for="mfa-toggle">Please Enable your MFA First</label>
            </div>
            <Show when={setup()}>
              {(st) => (
                <TotpEnrolment
                  setup={st()}
                  formId="mfa-enrol"
                  onEnabled={(c) => {
                    setSetup(undefined);
                    setCodes(c);
                    setNotice("Multi-factor authentication is enabled. Save your recovery codes below.");
                    void revalidate(getMfaStatus.key);
                  }}
                />
              )}
            </Show>
          </section>
        }
      >
        <section class="section" aria-labelledby="mfa-on-title">
          <h2 id="mfa-on-title">Authenticator app</h2>
          <p>
            <strong>Multi-factor authentication is enabled</strong>
            <Show when={s().enabledAt}> since {formatDateTime(s().enabledAt)}</Show>.
          </p>
          <p>
            Recovery codes left: <strong>{s().recoveryCodesRemaining}</strong> of 10.
          </p>
          <div class="filter-actions">
            <button type="button" class="btn" onClick={() => void regenerate()}>
              Regenerate recovery codes
            </button>
          </div>
        </section>
        <Show when={!s().required}>
          <section class="section" aria-labelledby="mfa-off-title">
            <h2 id="mfa-off-title">Turn off multi-factor authentication</h2>
            <form id="mfa-disable" novalidate onSubmit={disable}>
              <div class="field">
                <label for="mfa-disable-code">Authentication code or recovery code</label>
                <input id="mfa-disable-code" name="code" type="text" autocomplete="one-time-code" aria-invalid={disableError() ? true : undefined} aria-describedby={errorIdFor("mfa-disable-code", disableError())} />
                <FieldError for="mfa-disable-code" message={disableError()} alert />
              </div>
              <p>
                <button type="submit" class="btn">
                  Disable MFA
                </button>
              </p>
            </form>
          </section>
        </Show>
      </Show>
      {stepUp.dialog}
      <Show when={setup()}>
        <FooterBar>
          <SubmitButton form="mfa-enrol" pending={enabling.pending === true}>Submit</SubmitButton>
        </FooterBar>
      </Show>
    </>
  );
}

function MfaPolicySection() {
  const policy = createAsync(() => getMfaPolicy());
  const run = useAction(setMfaPolicy);
  const submission = useSubmission(setMfaPolicy);
  const [saved, setSaved] = createSignal(false);
  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const checked = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).checked;
    setSaved(false);
    await run({ requireMfaStaff: checked("requireMfaStaff"), requireMfaAll: checked("requireMfaAll") }).then(() => setSaved(true), () => undefined);
  }
  return (
    <section class="section" aria-labelledby="mfa-policy-title">
      <h2 id="mfa-policy-title">MFA policy (Cloud-Admin)</h2>
      <p class="muted">Users who must have MFA and have not enabled it are sent to set it up at their next sign-in.</p>
      <Show when={saved()}>
        <SuccessNotice>MFA policy saved.</SuccessNotice>
      </Show>
      <Show when={submission.error}>
        <ErrorNotice error={submission.error} title="The policy was not saved." />
      </Show>
      <AsyncView data={policy} loading="Loading the policy…">
        {(p) => (
          <form novalidate onSubmit={onSubmit}>
            <div class="check">
              <input id="policy-staff" name="requireMfaStaff" type="checkbox" checked={p().requireMfaStaff} />
              <label for="policy-staff">Require MFA for the Cloud-Admin and staff</label>
            </div>
            <div class="check">
              <input id="policy-all" name="requireMfaAll" type="checkbox" checked={p().requireMfaAll} />
              <label for="policy-all">Require MFA for every user (resellers and customers too)</label>
            </div>
            <p>
              <button type="submit" class="btn">
                Save policy
              </button>
            </p>
          </form>
        )}
      </AsyncView>
    </section>
  );
}

import { Show, createSignal } from "solid-js";
import type { TotpSetup } from "../../worker/contract/account";
import { enableTotp } from "../api/account";
import { isApiError } from "../api/client";
import { FieldError, errorIdFor } from "./FieldError";
import { ErrorNotice } from "./Notices";
import { QrCode } from "./QrCode";

/**
 * Scan-and-confirm step of TOTP enrolment: the QR code of the otpauth:// URI (drawn here), the key as text for
 * manual entry, and the code field. The submit button lives with the caller ("Submit" in the footer), bound by
 * `formId`. Calls `onEnabled` with the recovery codes once the server accepted the code.
 */
export function TotpEnrolment(props: { setup: TotpSetup; formId: string; onEnabled: (codes: string[]) => void; onPending?: (p: boolean) => void }) {
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  const codeError = () => {
    const err = error();
    return isApiError(err) ? (err.fields?.code ?? (err.code === "INVALID_CODE" || err.code === "RATE_LIMITED" ? err.message : undefined)) : undefined;
  };
  const grouped = () => props.setup.secret.match(/.{1,4}/g)?.join(" ") ?? props.setup.secret;
  let codeInput!: HTMLInputElement;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (pending()) return;
    const code = codeInput.value.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(code)) {
      setError({ fields: { code: "Enter the 6-digit code from your authenticator app." } });
      codeInput.focus();
      return;
    }
    setPending(true);
    props.onPending?.(true);
    setError(undefined);
    try {
      const { recoveryCodes } = await enableTotp(code);
      props.onEnabled(recoveryCodes);
    } catch (err) {
      setError(err);
      codeInput.focus();
    } finally {
      setPending(false);
      props.onPending?.(false);
    }
  }

  const localError = () => {
    const err = error() as { fields?: Record<string, string> } | undefined;
    return !isApiError(err) ? err?.fields?.code : undefined;
  };

  return (
    <div class="enrol-grid">
      <QrCode value={props.setup.uri} label={`QR code to add ${props.setup.account} to your authenticator app`} />
      <div>
        <ol>
          <li>Open Google Authenticator or Microsoft Authenticator and add an account.</li>
          <li>Scan the QR code, or enter this key by hand (time-based):</li>
        </ol>
        <p>
          <span class="muted">Key for {props.setup.account} ({props.setup.issuer}): </span>
          <code class="secret-key" data-testid="totp-secret">{grouped()}</code>
        </p>
        <Show when={error() && isApiError(error()) && !codeError()}>
          <ErrorNotice error={error()} title="MFA was not enabled." />
        </Show>
        <form id={props.formId} novalidate onSubmit={submit}>
          <div class="field">
            <label for={`${props.formId}-code`}>MFA token (code)</label>
            <input
              ref={codeInput}
              id={`${props.formId}-code`}
              name="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxLength={8}
              aria-invalid={codeError() || localError() ? true : undefined}
              aria-describedby={errorIdFor(`${props.formId}-code`, codeError() ?? localError())}
            />
            <FieldError for={`${props.formId}-code`} message={codeError() ?? localError()} alert />
          </div>
        </form>
      </div>
    </div>
  );
}

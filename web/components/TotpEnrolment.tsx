import { Show } from "solid-js";
import type { TotpSetup } from "../../worker/contract/account";
import { enableTotp } from "../api/account";
import { isApiError } from "../api/client";
import { FieldError, errorIdFor } from "./FieldError";
import { useFormAction } from "../forms";
import { ErrorNotice } from "./Notices";
import { QrCode } from "./QrCode";

/**
 * Scan-and-confirm step of TOTP enrolment: the QR code of the otpauth:// URI (drawn here), the key as text for
 * manual entry, and the code field. The submit button lives with the caller ("Submit" in the footer), bound by
 * `formId`; it shows the pending state with `useSubmission(enableTotp)`. Calls `onEnabled` with the recovery codes once the server accepted the code.
 */
export function TotpEnrolment(props: { setup: TotpSetup; formId: string; onEnabled: (codes: string[]) => void }) {
  const form = useFormAction(enableTotp);
  const error = form.error;
  // A wrong or throttled code is about the code field; the format check in the browser lands there too.
  const codeError = () => {
    const err = error();
    return form.fieldError("code") ?? (isApiError(err) && (err.code === "INVALID_CODE" || err.code === "RATE_LIMITED") ? err.message : undefined);
  };
  const grouped = () => props.setup.secret.match(/.{1,4}/g)?.join(" ") ?? props.setup.secret;
  let codeInput!: HTMLInputElement;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (form.pending()) return;
    const code = codeInput.value.replace(/\s+/g, "");
    if (!form.check(/^\d{6}$/.test(code) ? {} : { code: "Enter the 6-digit code from your authenticator app." })) {
      codeInput.focus();
      return;
    }
    const result = await form.submit(code);
    if (result) props.onEnabled(result.recoveryCodes);
    else codeInput.focus();
  }

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
              aria-invalid={codeError() ? true : undefined}
              aria-describedby={errorIdFor(`${props.formId}-code`, codeError())}
            />
            <FieldError for={`${props.formId}-code`} message={codeError()} alert />
          </div>
        </form>
      </div>
    </div>
  );
}

import { Show, createSignal, type Accessor } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { SmtpSettingsDto } from "../../../worker/contract/email-dto";
import { isApiError } from "../../api/client";
import { getSmtp, saveSmtp, sendSmtpTest } from "../../api/email";
import { AsyncView } from "../../components/AsyncView";
import { TextField } from "../../components/Field";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { TestEmailDrawer } from "../../components/TestEmailDrawer";
import { formatDateTime } from "../../format";
import { useFormAction } from "../../forms";

/** Configuration » Email Settings » SMTP Configuration. */
export default function SmtpConfiguration() {
  const smtp = createAsync(() => getSmtp());
  return (
    <div class="page">
      <PageHeader title="SMTP Configuration" menu="/email/smtp" />
      <AsyncView data={smtp} loading="Loading the SMTP configuration…">
        {(s) => <SmtpForm settings={s} />}
      </AsyncView>
    </div>
  );
}

function SmtpForm(props: { settings: Accessor<SmtpSettingsDto> }) {
  const s = props.settings;
  const [host, setHost] = createSignal(s().host);
  const [port, setPort] = createSignal(String(s().port));
  const [secure, setSecure] = createSignal(s().secure);
  const [useAuth, setUseAuth] = createSignal(s().useAuth);
  const [login, setLogin] = createSignal(s().login);
  const [password, setPassword] = createSignal("");
  const [fromName, setFromName] = createSignal(s().fromName);
  const [fromAddress, setFromAddress] = createSignal(s().fromAddress);
  const [saved, setSaved] = createSignal(false);
  const [testOpen, setTestOpen] = createSignal(false);
  const form = useFormAction(saveSmtp);
  const { error, pending } = form;
  const f = form.fieldError;

  const portNumber = () => Number(port());
  const securityHint = () => {
    if (!secure()) return "Not secured: credentials and mail travel in clear text. Use only on a trusted network.";
    return portNumber() === 465 ? "Port 465: implicit TLS from the first byte." : `Port ${port() || "?"}: the connection is upgraded with STARTTLS.`;
  };

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (pending()) return;
    setSaved(false);
    const done = await form.submit({ host: host(), port: portNumber(), secure: secure(), useAuth: useAuth(), login: login(), password: password() || undefined, fromName: fromName(), fromAddress: fromAddress() });
    if (!done) return;
    setPassword("");
    setSaved(true);
  }

  const input = (id: string, label: string, value: Accessor<string>, set: (v: string) => void, opts: { type?: string; autocomplete?: string; hint?: string } = {}) => (
    <TextField id={id} label={label} value={value()} onInput={set} error={f(id.replace("smtp-", ""))} type={opts.type} autocomplete={opts.autocomplete ?? "off"} hint={opts.hint} />
  );

  return (
    <>
      <Show when={s().source === "development"}>
        <p class="notice">
          Not saved yet: emails go to the local development mail catcher ({s().host}:{s().port}, from SMTP_HOST). Save the form to use your own SMTP server.
        </p>
      </Show>
      <Show when={s().source === "none"}>
        <p class="notice notice-error">SMTP is not configured: no email can be sent until you save these settings.</p>
      </Show>
      <Show when={s().updatedAt}>
        <p class="muted">Last saved {formatDateTime(s().updatedAt)}.</p>
      </Show>
      <Show when={saved()}>
        <SuccessNotice>SMTP settings saved.</SuccessNotice>
      </Show>
      <Show when={error() && !(isApiError(error()) && (error() as { fields?: object }).fields)}>
        <ErrorNotice error={error()} title="The SMTP settings were not saved." />
      </Show>
      <form id="smtp-form" class="section" novalidate onSubmit={submit}>
        {input("smtp-host", "SMTP Host", host, setHost, { hint: "Host name or IP address of your SMTP server, e.g. smtp.example.com." })}
        <div class="field">
          <label for="smtp-port">Port</label>
          <input id="smtp-port" type="number" inputmode="numeric" min="1" max="65535" value={port()} onInput={(e) => setPort(e.currentTarget.value)} aria-invalid={f("port") ? true : undefined} aria-describedby={[errorIdFor("smtp-port", f("port")), "smtp-port-hint"].filter(Boolean).join(" ")} />
          <p id="smtp-port-hint" class="field-hint">
            The SMTP default is 25; 587 (STARTTLS) and 465 (implicit TLS) are the usual submission ports.
          </p>
          <Show when={portNumber() === 25}>
            <p class="field-warning" role="status">
              Port 25 is blocked on Cloudflare: in production, connections to port 25 fail. Use 587 or 465.
            </p>
          </Show>
          <FieldError for="smtp-port" message={f("port")} />
        </div>
        <div class="check">
          <input id="smtp-secure" type="checkbox" checked={secure()} onChange={(e) => setSecure(e.currentTarget.checked)} aria-describedby="smtp-secure-hint" />
          <label for="smtp-secure">Use Secured Connection</label>
        </div>
        <p id="smtp-secure-hint" class="field-hint">
          {securityHint()}
        </p>
        <div class="check">
          <input id="smtp-auth" type="checkbox" checked={useAuth()} onChange={(e) => setUseAuth(e.currentTarget.checked)} />
          <label for="smtp-auth">Use Authentication</label>
        </div>
        <Show when={useAuth()}>
          {input("smtp-login", "Login", login, setLogin, { autocomplete: "username" })}
          {input("smtp-password", "Password", password, setPassword, {
            type: "password",
            autocomplete: "new-password",
            hint: s().passwordSet ? "A password is set. Leave empty to keep it." : "No password is set.",
          })}
        </Show>
        {input("smtp-fromName", "Sender name", fromName, setFromName)}
        {input("smtp-fromAddress", "Sender address", fromAddress, setFromAddress, { type: "email" })}
      </form>
      <FooterBar>
        <button type="button" class="btn" onClick={() => setTestOpen(true)}>
          Send Test Email
        </button>
        <button type="submit" form="smtp-form" class="btn btn-primary" aria-disabled={pending()}>
          Done
        </button>
      </FooterBar>
      <SmtpTestDrawer open={testOpen()} onClose={() => setTestOpen(false)} defaultFrom={s().fromAddress} />
    </>
  );
}

function SmtpTestDrawer(props: { open: boolean; onClose: () => void; defaultFrom: string }) {
  const [from, setFrom] = createSignal(props.defaultFrom);
  const [message, setMessage] = createSignal("This is a test email from Cumulus to confirm the SMTP settings.");
  const form = useFormAction(sendSmtpTest);
  const f = form.fieldError;
  return (
    <TestEmailDrawer
      open={props.open}
      onClose={props.onClose}
      form={form}
      send={(to) => form.submit({ to, from: from() || undefined, message: message() })}
      formId="smtp-test-form"
      toId="smtp-test-to"
      submitLabel="Send Test Email"
      fields={["from", "message"]}
    >
      <TextField id="smtp-test-from" label="Sender address" type="email" value={from()} onInput={setFrom} error={f("from")} />
      <TextField id="smtp-test-message" label="Message" rows={5} value={message()} onInput={setMessage} error={f("message")} />
      <p class="field-hint">Sent with the saved settings: click Done first if you changed the form.</p>
    </TestEmailDrawer>
  );
}

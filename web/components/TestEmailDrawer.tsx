import { createSignal, type JSX } from "solid-js";
import type { SendResult } from "../../worker/contract/email-dto";
import { useSession } from "../session";
import { TextField } from "./Field";
import { FormDrawer } from "./FormDrawer";
import { TestSendOutcome } from "./Notices";

/**
 * The "Send Test Email" drawer of SMTP Configuration and the template editor (web/pages/email/): the recipient
 * (the signed-in user's address at first), then the screen's own fields, one send at a time, and the outcome of
 * the last send under the form. A refusal about "to" or a field listed in `fields` is shown on that field only.
 */
export function TestEmailDrawer(props: {
  open: boolean;
  onClose: () => void;
  /** The screen's `useFormAction` of its test action. */
  form: { pending: () => boolean; error: () => unknown; fieldError: (name: string) => string | undefined };
  /** Sends the test to this recipient through `form` (its `submit`). */
  send: (to: string) => Promise<SendResult | undefined>;
  formId: string;
  toId: string;
  submitLabel: string;
  /** The names of the screen's own fields (beside "to"), whose refusals they show. */
  fields?: string[];
  /** The screen's own fields and hint, after the recipient. */
  children: JSX.Element;
}) {
  const session = useSession();
  const [to, setTo] = createSignal(session().user.email);
  const [result, setResult] = createSignal<SendResult>();
  const { error, pending, fieldError } = props.form;

  async function send(e: SubmitEvent) {
    e.preventDefault();
    if (pending()) return;
    setResult(undefined);
    setResult(await props.send(to()));
  }

  return (
    <FormDrawer
      open={props.open}
      title="Send Test Email"
      onClose={props.onClose}
      formId={props.formId}
      submitLabel={props.submitLabel}
      pendingLabel="Sending…"
      pending={pending()}
    >
      <form id={props.formId} novalidate onSubmit={send}>
        <TextField id={props.toId} label="Recipient" type="email" value={to()} onInput={setTo} error={fieldError("to")} />
        {props.children}
      </form>
      <TestSendOutcome pending={pending()} result={result()} error={error()} onField={["to", ...(props.fields ?? [])].some((name) => Boolean(fieldError(name)))} />
    </FormDrawer>
  );
}

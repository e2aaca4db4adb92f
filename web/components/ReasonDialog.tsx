import type { JSX } from "solid-js";
import { ConfirmDialog } from "./Dialog";
import { ReasonField } from "./Field";
import { FormRefusal } from "./Notices";

/**
 * A confirmation that asks for a reason (unblock a card, decline a request for more time, pause dunning: see
 * web/pages/billing/): the confirm button submits the dialog's form (`useDialogForm` in web/forms.ts), whose refusal
 * is shown above its fields; `fields` stand before the reason.
 */
export function ReasonDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  cancelLabel: string;
  form: {
    pending: () => boolean;
    error: () => unknown;
    errors: () => Record<string, string>;
    fieldError: (name: string) => string | undefined;
    ref: (el: HTMLFormElement) => void;
    close: () => void;
    requestSubmit: () => void;
  };
  formId?: string;
  reasonId: string;
  /** The refusal's title, e.g. "The card was not unblocked." */
  refused: string;
  onSubmit: (e: SubmitEvent) => void;
  fields?: JSX.Element;
  /** What confirming does, above the form. */
  children: JSX.Element;
}) {
  return (
    <ConfirmDialog open={props.open} title={props.title} confirmLabel={props.confirmLabel} cancelLabel={props.cancelLabel}
      pending={props.form.pending()} onCancel={props.form.close} onConfirm={props.form.requestSubmit}>
      {props.children}
      <form id={props.formId} ref={props.form.ref} novalidate onSubmit={(e) => props.onSubmit(e)}>
        <FormRefusal form={props.form} title={props.refused} />
        {props.fields}
        <ReasonField id={props.reasonId} error={props.form.fieldError("reason")} />
      </form>
    </ConfirmDialog>
  );
}

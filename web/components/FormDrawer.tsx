import type { JSX } from "solid-js";
import { Drawer } from "./Drawer";

/**
 * A Drawer holding one form: "Cancel" closes it and the footer's submit button submits the form with id `formId`
 * (the manual's drawers put Save/Create/Verify in the footer).
 */
export function FormDrawer(props: {
  open: boolean;
  title: string;
  formId: string;
  submitLabel: string;
  /** Shown on the submit button while `pending` (default "Saving…"). */
  pendingLabel?: string;
  pending?: boolean;
  onClose: () => void;
  children: JSX.Element;
}) {
  return (
    <Drawer
      open={props.open}
      title={props.title}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="btn" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" form={props.formId} class="btn btn-primary" aria-disabled={props.pending ? true : undefined}>
            {props.pending ? (props.pendingLabel ?? "Saving…") : props.submitLabel}
          </button>
        </>
      }
    >
      {props.children}
    </Drawer>
  );
}

import { createUniqueId, type JSX } from "solid-js";
import { createModal } from "./modal";

/**
 * A modal confirmation on the native <dialog>: `showModal()` makes the page behind it inert, Escape cancels, Tab
 * wraps inside the dialog, and focus returns to the control that opened it.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  /** The button that backs out (default "Cancel"); say what it keeps when "Cancel" would be ambiguous. */
  cancelLabel?: string;
  pending?: boolean;
  /** See createModal: the control focus returns to, when it is not the one focused at opening. */
  returnFocus?: () => HTMLElement | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = createUniqueId();
  const bodyId = createUniqueId();
  const modal = createModal({ open: () => props.open, onDismiss: () => props.onCancel(), returnFocus: () => props.returnFocus?.() });

  return (
    <dialog ref={modal.ref} class="dialog" aria-labelledby={titleId} aria-describedby={bodyId} onKeyDown={modal.onKeyDown} onClose={modal.onClose}>
      <h2 id={titleId}>{props.title}</h2>
      <div id={bodyId}>{props.children}</div>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={() => props.onCancel()}>
          {props.cancelLabel ?? "Cancel"}
        </button>
        <button type="button" class="btn btn-primary" aria-disabled={props.pending} onClick={() => !props.pending && props.onConfirm()}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

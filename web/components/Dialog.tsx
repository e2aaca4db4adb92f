import { createEffect, createUniqueId, onCleanup, type JSX } from "solid-js";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal confirmation on the native <dialog>: `showModal()` makes the page behind it inert, Escape cancels, Tab
 * wraps inside the dialog, and focus returns to the control that opened it.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  let dialog!: HTMLDialogElement;
  let opener: HTMLElement | null = null;
  const titleId = createUniqueId();
  const bodyId = createUniqueId();

  createEffect(() => {
    if (props.open && !dialog.open) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!props.open && dialog.open) {
      dialog.close();
    }
  });
  onCleanup(() => dialog.open && dialog.close());

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== "Tab") return;
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  function onClose() {
    if (opener?.isConnected) opener.focus();
    opener = null;
    // Escape closes the native dialog by itself; tell the owner so its state follows.
    if (props.open) props.onCancel();
  }

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={titleId} aria-describedby={bodyId} onKeyDown={onKeyDown} onClose={onClose}>
      <h2 id={titleId}>{props.title}</h2>
      <div id={bodyId}>{props.children}</div>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="button" class="btn btn-primary" aria-disabled={props.pending} onClick={() => !props.pending && props.onConfirm()}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

import { Show, createEffect, createUniqueId, onCleanup, type JSX } from "solid-js";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A side drawer holding a form, on the native modal <dialog>: the page behind is inert, Escape and "Cancel"
 * close it, Tab stays inside, focus starts on the first field and returns to the opener. The footer's submit
 * button submits the form with id `formId`.
 */
export function Drawer(props: {
  open: boolean;
  title: string;
  formId: string;
  submitLabel: string;
  pending?: boolean;
  onClose: () => void;
  children: JSX.Element;
}) {
  let dialog!: HTMLDialogElement;
  let opener: HTMLElement | null = null;
  const titleId = createUniqueId();

  createEffect(() => {
    if (props.open && !dialog.open) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      setTimeout(() => dialog.querySelector<HTMLElement>("form input, form select, form textarea")?.focus());
    } else if (!props.open && dialog.open) dialog.close();
  });
  onCleanup(() => dialog.open && dialog.close());

  function onKeyDown(e: KeyboardEvent) {
    // A confirmation opened from the drawer traps its own focus.
    if (e.key !== "Tab" || (e.target as Element).closest("dialog") !== dialog) return;
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

  return (
    <dialog
      ref={dialog}
      class="drawer"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onClose={() => {
        if (opener?.isConnected) opener.focus();
        opener = null;
        if (props.open) props.onClose();
      }}
    >
      <div class="drawer-header">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="btn btn-small" aria-label="Close" onClick={() => props.onClose()}>
          ✕
        </button>
      </div>
      <div class="drawer-body">
        <Show when={props.open}>{props.children}</Show>
      </div>
      <div class="drawer-footer">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Cancel
        </button>
        <button type="submit" form={props.formId} class="btn btn-primary" aria-disabled={props.pending ? true : undefined}>
          {props.pending ? "Saving…" : props.submitLabel}
        </button>
      </div>
    </dialog>
  );
}

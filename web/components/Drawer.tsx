import { createEffect, createUniqueId, onCleanup, type JSX } from "solid-js";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A side drawer on the native <dialog> (modal: the page behind is inert): Escape closes it, Tab wraps inside,
 * focus starts on the first field and returns to the opener. The footer holds the drawer's buttons, as in the
 * manual ("Save" in the footer).
 */
export function Drawer(props: { open: boolean; title: string; onClose: () => void; children: JSX.Element; footer: JSX.Element }) {
  let dialog!: HTMLDialogElement;
  let opener: HTMLElement | null = null;
  const titleId = createUniqueId();

  createEffect(() => {
    if (props.open && !dialog.open) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>(".drawer-body " + FOCUSABLE.split(", ").join(", .drawer-body "))?.focus();
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

  function onDialogClose() {
    if (opener?.isConnected) opener.focus();
    opener = null;
    if (props.open) props.onClose();
  }

  return (
    <dialog ref={dialog} class="drawer" aria-labelledby={titleId} onKeyDown={onKeyDown} onClose={onDialogClose}>
      <div class="drawer-header">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="btn btn-small" onClick={() => props.onClose()}>
          Close<span class="sr-only"> {props.title}</span>
        </button>
      </div>
      <div class="drawer-body">{props.children}</div>
      <div class="drawer-footer">{props.footer}</div>
    </dialog>
  );
}

import { Show, createEffect, createUniqueId, onCleanup, type JSX } from "solid-js";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A side drawer on the native modal <dialog>: the page behind is inert, Escape closes it, Tab wraps inside it,
 * focus starts on the first field and returns to the control that opened it. Footer buttons (the manual's
 * "Send", "Cancel") go in `footer`.
 */
export function Drawer(props: { open: boolean; title: string; onClose: () => void; children: JSX.Element; footer: JSX.Element; describedBy?: string }) {
  let dialog!: HTMLDialogElement;
  let opener: HTMLElement | null = null;
  const titleId = createUniqueId();

  createEffect(() => {
    if (props.open && !dialog.open) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      // The content renders only while open; focus its first field once it is there.
      queueMicrotask(() => {
        const first = dialog.querySelector<HTMLElement>(".drawer-body " + FOCUSABLE.split(", ").join(", .drawer-body "));
        (first ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();
      });
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
    if (props.open) props.onClose();
  }

  return (
    <dialog ref={dialog} class="drawer" aria-labelledby={titleId} aria-describedby={props.describedBy} onKeyDown={onKeyDown} onClose={onClose}>
      <div class="drawer-header">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="btn btn-small" aria-label="Close" onClick={() => props.onClose()}>
          ×
        </button>
      </div>
      {/* Rendered only while open: a closed drawer leaves no hidden fields behind, and reopens fresh. */}
      <Show when={props.open}>
        <div class="drawer-body">{props.children}</div>
        <div class="drawer-footer">{props.footer}</div>
      </Show>
    </dialog>
  );
}

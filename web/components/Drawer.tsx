import { Show, createUniqueId, type JSX } from "solid-js";
import { Icon } from "./Icon";
import { FOCUSABLE, createModal } from "./modal";

/**
 * A side drawer on the native modal <dialog>: the page behind is inert, Escape closes it, Tab wraps inside it,
 * focus starts on the first field and returns to the control that opened it. Footer buttons (the manual's
 * "Send", "Cancel") go in `footer`.
 */
export function Drawer(props: { open: boolean; title: string; onClose: () => void; children: JSX.Element; footer: JSX.Element; describedBy?: string; returnFocus?: () => HTMLElement | undefined }) {
  const titleId = createUniqueId();
  const modal = createModal({
    open: () => props.open,
    onDismiss: () => props.onClose(),
    returnFocus: () => props.returnFocus?.(),
    // Focus the first field of the body; without one, the first control (the close button).
    focusFirst: (dialog) => dialog.querySelector<HTMLElement>(".drawer-body " + FOCUSABLE.split(", ").join(", .drawer-body ")) ?? dialog.querySelector<HTMLElement>(FOCUSABLE),
  });

  return (
    <dialog ref={modal.ref} class="drawer" aria-labelledby={titleId} aria-describedby={props.describedBy} onKeyDown={modal.onKeyDown} onClose={modal.onClose}>
      <div class="drawer-header">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="btn btn-small btn-icon" aria-label="Close" onClick={() => props.onClose()}>
          <Icon name="close" />
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

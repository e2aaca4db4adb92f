/**
 * What every modal in the portal shares, on the native <dialog>: `showModal()` makes the page behind it inert,
 * Escape closes it (and the owner's state follows), Tab wraps inside it, and focus returns to the control that
 * opened it. `focusFirst` picks what gets focus when it opens.
 */
import { createEffect, onCleanup } from "solid-js";

export const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function createModal(opts: {
  open: () => boolean;
  onDismiss: () => void;
  focusFirst?: (dialog: HTMLDialogElement) => HTMLElement | null | undefined;
  /**
   * The control that opened the modal, when it is not the focused element at that moment: a menu item closes its
   * menu (and leaves the page) before the modal opens, so focus returns to the menu's button instead.
   */
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  let dialog: HTMLDialogElement | undefined;
  let opener: HTMLElement | null = null;

  createEffect(() => {
    const open = opts.open(); // read first: the effect must track it even before the ref is set
    if (!dialog) return;
    if (open && !dialog.open) {
      opener = opts.returnFocus?.() ?? (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null);
      dialog.showModal();
      const target = dialog;
      // Content that renders only while open is there after this microtask.
      if (opts.focusFirst) queueMicrotask(() => opts.focusFirst?.(target)?.focus());
    } else if (!open && dialog.open) {
      dialog.close();
    }
  });
  onCleanup(() => dialog?.open && dialog.close());

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== "Tab" || !dialog) return;
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
    // Closed for a moment by outsideTopLayer (below), or already open again: not a dismissal.
    if (dialog && (dialog.open || BANK_CHECK in dialog.dataset)) return;
    if (opener?.isConnected) opener.focus();
    opener = null;
    // Escape closes the native dialog by itself; tell the owner so its state follows.
    if (opts.open()) opts.onDismiss();
  }

  return { ref: (el: HTMLDialogElement) => (dialog = el), onKeyDown, onClose };
}

const BANK_CHECK = "bankCheck";

/**
 * Runs `check` — the bank's 3-D Secure check, which Stripe.js draws as its own modal in the page — outside our top
 * layer. A modal <dialog> sits above everything else and makes the rest of the page inert, so Stripe's modal would
 * open beneath it and could not be used. The modal dialog around `inside` is closed while the check runs (its owner
 * is not told: it is no dismissal) and shown as a modal again afterwards, with focus back where it was (or on
 * `inside`). Outside a modal dialog the check simply runs.
 */
export async function outsideTopLayer<T>(inside: HTMLElement | undefined, check: () => Promise<T>): Promise<T> {
  const dialog = inside?.closest("dialog");
  if (!inside || !dialog?.open || !dialog.matches(":modal")) return check();
  const active = document.activeElement;
  const focus = active instanceof HTMLElement && dialog.contains(active) ? active : inside;
  dialog.dataset[BANK_CHECK] = "";
  dialog.close();
  try {
    return await check();
  } finally {
    if (dialog.isConnected) {
      dialog.showModal();
      focus.focus();
    }
    delete dialog.dataset[BANK_CHECK];
  }
}

/**
 * The invoice PDF attachment (`invoice_pdf`) without the PDF code on the start-up path: this stub is registered
 * at start-up and loads ./pdf on first use; ./pdf registers the real renderer under the same kind when its
 * module body runs, and the stub hands over to it. Worker start-up (global scope) then never evaluates the PDF
 * writer (docs/decisions/014c-startup-and-bench-baseline.md).
 */
import { ATTACHMENT_RENDERERS, type AttachmentRenderer } from "../email/attachments";

const KIND = "invoice_pdf";

const lazyRenderer: AttachmentRenderer = async (ctx, ref) => {
  await import("./pdf");
  const real = ATTACHMENT_RENDERERS[KIND];
  if (!real || real === lazyRenderer) throw new Error("The invoice PDF module did not register its attachment renderer");
  return real(ctx, ref);
};

ATTACHMENT_RENDERERS[KIND] ??= lazyRenderer;

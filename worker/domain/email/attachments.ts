/**
 * Attachments are stored on the outbox row as references (`{ kind, ref }`), never as content, and rendered at
 * send time by the renderer registered for their kind (e.g. the billing module's invoice PDF). A missing
 * renderer or a failing one fails the attempt, which is retried like any other send failure.
 */
import type { DomainContext } from "../context";

export interface AttachmentRef {
  kind: string;
  ref: string;
}

export interface RenderedAttachment {
  filename: string;
  /** Base64-encoded content. */
  content: string;
  mimeType: string;
}

export type AttachmentRenderer = (ctx: Pick<DomainContext, "db" | "clock" | "config" | "fonts">, ref: string) => Promise<RenderedAttachment>;

/** kind → renderer. Modules add their renderer here (one line each). */
export const ATTACHMENT_RENDERERS: Record<string, AttachmentRenderer> = {};

export async function renderAttachments(ctx: Pick<DomainContext, "db" | "clock" | "config" | "fonts">, refs: AttachmentRef[]): Promise<RenderedAttachment[]> {
  return Promise.all(
    refs.map((a) => {
      const render = ATTACHMENT_RENDERERS[a.kind];
      if (!render) throw new Error(`No renderer for attachment kind "${a.kind}"`);
      return render(ctx, a.ref);
    }),
  );
}

/**
 * Attachments are stored on the outbox row as references (`{ kind, ref }`), never as content, and rendered at
 * send time by the renderer for their kind in `ctx.renderers` (the composition root, domain/context.ts, passes
 * the billing module's invoice PDF). A missing renderer or a failing one fails the attempt, which is retried like
 * any other send failure.
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

/** kind → renderer. */
export type AttachmentRenderers = Readonly<Record<string, AttachmentRenderer>>;

export async function renderAttachments(ctx: Pick<DomainContext, "db" | "clock" | "config" | "fonts" | "renderers">, refs: AttachmentRef[]): Promise<RenderedAttachment[]> {
  return Promise.all(
    refs.map((a) => {
      const render = Object.hasOwn(ctx.renderers, a.kind) ? ctx.renderers[a.kind] : undefined;
      if (!render) throw new Error(`No renderer for attachment kind "${a.kind}"`);
      return render(ctx, a.ref);
    }),
  );
}

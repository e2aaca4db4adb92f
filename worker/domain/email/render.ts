/**
 * Rendering lives in worker/contract/email-render.ts (runtime-neutral, shared with the portal's live preview);
 * this module keeps the original import path for the worker.
 */
export { TAG_PATTERN, escapeHtml, headerSafe, fillText, fillHtml, tagsIn, renderTemplate, type TagValues, type RenderedEmail } from "../../contract/email-render";

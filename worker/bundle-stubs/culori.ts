/** pdf-lib's CSS colour parser (`culori`, 50 KiB), used only by `colorString` for SVG drawing; invoices give rgb(). */
import { notBundled } from "./unused";

// pdf-lib calls converter("rgb") at module scope; the converter itself is what must never run.
export const converter = (_mode: string) => (_color: unknown): never => notBundled("CSS colour strings (SVG drawing)");

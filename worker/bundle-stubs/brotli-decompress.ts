/**
 * fontkit's WOFF2 reader (`brotli/decompress.js`, 90 KiB): the invoice fonts are TrueType slices (/fonts/*.ttf,
 * worker/domain/invoices/pdf/fonts.ts), never WOFF2.
 */
import { notBundled } from "./unused";

export default function decompress(): never {
  return notBundled("WOFF2 font decoding");
}

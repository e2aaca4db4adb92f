/** `html-entities` (89 KiB): pdf-lib encodes XMP metadata (PDF/A, Factur-X) and form values with it; invoices use neither. */
import { notBundled } from "./unused";

export const encode = (_text: string): never => notBundled("PDF/A and Factur-X metadata, form fields");

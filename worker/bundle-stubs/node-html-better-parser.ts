/** pdf-lib's SVG/XFA parser (`node-html-better-parser`); invoices draw no SVG and fill no XFA form. */
import { notBundled } from "./unused";

export const NodeType = { ELEMENT_NODE: 1, TEXT_NODE: 3, COMMENT_NODE: 8 } as const;
export class HTMLElement {}
export const parse = (_markup: string): never => notBundled("SVG drawing and XFA forms");

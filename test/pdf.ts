/**
 * Reads PDFs back for tests with a real PDF text extractor: Mozilla's pdf.js (pdfjs-dist), in Node (the E2E
 * suite; pdf.js does not run inside workerd). Parsing runs in-process: importing the worker module registers it.
 */
export interface PdfItem {
  str: string;
  x: number;
  y: number;
  width: number;
  page: number;
}

export async function pdfItems(bytes: Uint8Array): Promise<PdfItem[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // @ts-expect-error: the worker module ships without type declarations; it is imported for its side effect.
  await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false, disableFontFace: true }).promise;
  const items: PdfItem[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    for (const item of content.items) {
      if (!("str" in item) || item.str === "") continue;
      items.push({ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, page: p });
    }
  }
  await doc.destroy();
  return items;
}

/** Each page's text as lines: items on the same baseline joined in drawing order. */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const rows = new Map<string, string>();
  for (const i of await pdfItems(bytes)) {
    const key = `${i.page}:${Math.round(i.y)}`;
    rows.set(key, (rows.get(key) ?? "") + i.str);
  }
  return [...rows.values()];
}

/**
 * Reads PDFs back for tests with a real PDF text extractor: Mozilla's pdf.js (pdfjs-dist), run in-process
 * (no worker thread). Returns each page's text as lines: items on the same baseline joined in drawing order.
 */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // In-process parsing: importing the worker module registers it as globalThis.pdfjsWorker.
  await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false, disableFontFace: true }).promise;
  const lines: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    const rows = new Map<number, string>();
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const y = Math.round(item.transform[5] as number);
      rows.set(y, (rows.get(y) ?? "") + item.str);
    }
    lines.push(...rows.values());
  }
  await doc.destroy();
  return lines;
}

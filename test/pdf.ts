/**
 * Reads our PDFs back for tests: checks the header, the cross-reference table (every offset points at its
 * object) and the trailer, then extracts the text drawn by `(…) Tj` in every content stream.
 */
export function pdfText(bytes: Uint8Array): string[] {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  if (!s.startsWith("%PDF-1.")) throw new Error("not a PDF");
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(s)?.[1]);
  if (!Number.isFinite(startxref) || !s.startsWith("xref", startxref)) throw new Error("bad startxref");
  const xref = /^xref\n0 (\d+)\n([\s\S]*?)trailer/.exec(s.slice(startxref));
  if (!xref) throw new Error("bad xref");
  const count = Number(xref[1]);
  const entries = xref[2]!.split("\n").filter(Boolean);
  if (entries.length !== count) throw new Error("xref count mismatch");
  entries.slice(1).forEach((e, i) => {
    const off = Number(e.slice(0, 10));
    if (!s.startsWith(`${i + 1} 0 obj`, off)) throw new Error(`xref entry ${i + 1} does not point at its object`);
  });
  const texts: string[] = [];
  for (const m of s.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = m.index! + m[0].length;
    const content = s.slice(start, start + Number(m[1]));
    if (!s.startsWith("\nendstream", start + Number(m[1]))) throw new Error("stream length mismatch");
    for (const t of content.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)) {
      texts.push(t[1]!.replace(/\\([0-7]{3}|.)/g, (_, e: string) => (e.length === 3 ? (e === "200" ? "€" : String.fromCharCode(parseInt(e, 8))) : e)));
    }
  }
  return texts;
}

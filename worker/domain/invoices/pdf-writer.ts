/**
 * A small PDF 1.4 writer: A4 pages of text in the standard Helvetica fonts (WinAnsiEncoding, no embedding),
 * lines and filled rectangles, uncompressed content streams, a correct cross-reference table. Enough for
 * invoices; runs anywhere (no Node APIs).
 */
const W = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
  278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
  667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556,
  333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584];

const WIN_ANSI_EXTRA: Record<string, number> = { "€": 0x80, "‚": 0x82, "„": 0x84, "…": 0x85, "•": 0x95, "–": 0x96, "—": 0x97, "™": 0x99, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "−": 0x2d };

/** Unicode text → WinAnsi byte codes (unknown characters become "?"). */
export function winAnsi(text: string): number[] {
  const out: number[] = [];
  for (const ch of text.normalize("NFC")) {
    const extra = WIN_ANSI_EXTRA[ch];
    const code = ch.codePointAt(0)!;
    if (extra !== undefined) out.push(extra);
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff)) out.push(code);
    else out.push(0x3f);
  }
  return out;
}

export function textWidth(text: string, size: number): number {
  return (winAnsi(text).reduce((a, c) => a + (c >= 32 && c <= 126 ? W[c - 32]! : 556), 0) * size) / 1000;
}

function literal(text: string): string {
  return `(${winAnsi(text)
    .map((c) => (c === 0x28 || c === 0x29 || c === 0x5c ? `\\${String.fromCharCode(c)}` : c < 0x20 || c > 0x7e ? `\\${c.toString(8).padStart(3, "0")}` : String.fromCharCode(c)))
    .join("")})`;
}

export type Font = "regular" | "bold";

export class PdfDocument {
  readonly width = 595;
  readonly height = 842;
  private pages: string[][] = [];
  private current: string[] = [];

  constructor(private readonly info: { title: string; author: string }) {
    this.pages.push(this.current);
  }

  newPage(): void {
    this.current = [];
    this.pages.push(this.current);
  }

  text(x: number, y: number, text: string, opts: { size?: number; font?: Font; align?: "left" | "right"; color?: [number, number, number] } = {}): void {
    const size = opts.size ?? 10;
    const dx = opts.align === "right" ? x - textWidth(text, size) : x;
    const [r, g, b] = opts.color ?? [0, 0, 0];
    this.current.push(`BT ${r} ${g} ${b} rg /${opts.font === "bold" ? "F2" : "F1"} ${size} Tf ${dx.toFixed(2)} ${y.toFixed(2)} Td ${literal(text)} Tj ET`);
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, gray = 0.7): void {
    this.current.push(`${gray} G ${width} w ${x1} ${y1} m ${x2} ${y2} l S`);
  }

  rect(x: number, y: number, w: number, h: number, color: [number, number, number]): void {
    this.current.push(`${color.join(" ")} rg ${x} ${y} ${w} ${h} re f`);
  }

  toBytes(): Uint8Array {
    const objects: string[] = [];
    const pageIds: number[] = [];
    // 1 catalog, 2 pages, 3-4 fonts, 5 info, then (page, content) pairs.
    const fontRegular = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
    const fontBold = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>";
    const info = `<< /Title ${literal(this.info.title)} /Author ${literal(this.info.author)} /Producer (Cumulus) >>`;
    const pageObjects: string[] = [];
    this.pages.forEach((ops, i) => {
      const pageId = 6 + i * 2;
      pageIds.push(pageId);
      const content = ops.join("\n");
      pageObjects.push(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${this.width} ${this.height}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageId + 1} 0 R >>`,
        `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      );
    });
    objects.push("<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageIds.length} >>`, fontRegular, fontBold, info, ...pageObjects);
    let out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(out.length);
      out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    const bytes = new Uint8Array(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
    return bytes;
  }
}

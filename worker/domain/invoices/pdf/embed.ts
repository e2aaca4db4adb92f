/**
 * Embeds a TrueType font slice as a PDF Type 0 font (CIDFontType2, Identity-H), subsetted to the glyphs the
 * document uses.
 *
 * Why our own embedder rather than pdf-lib's `embedFont`: pdf-lib draws a shaped run glyph after glyph with
 * the glyphs' default advances, dropping the shaper's mark offsets (Arabic dots and hamzas land in the wrong
 * place), and its ToUnicode map has one entry per glyph id, so a glyph shared by two letters (Noto's Arabic
 * draws س and ش with one skeleton plus dots) extracts wrongly. Here every distinct (glyph, text) pair gets its
 * own character code: CIDToGIDMap points the codes at the glyphs and ToUnicode gives each code its own text.
 */
import { PDFNumber, PDFString, type PDFContext, type PDFRef } from "@cantoo/pdf-lib";
import type { LoadedFont } from "./fonts";

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

function utf16Hex(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

/** Six capital letters derived from the subset's content (PDF 9.6.4), so the same document is the same bytes. */
function subsetTag(key: string): string {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  let tag = "";
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (h % 26));
    h = Math.floor(h / 26) + i * 7919;
  }
  return tag;
}

export class EmbeddedFont {
  readonly ref: PDFRef;
  /** `${glyphId}:${text}` → character code (1-based; 0 is the missing glyph). */
  private readonly codes = new Map<string, number>();
  private readonly entries: Array<{ gid: number; text: string }> = [];

  constructor(
    private readonly context: PDFContext,
    readonly source: LoadedFont,
    /** Its number in the document: pages name it `/F<index>`. */
    readonly index: number,
  ) {
    this.ref = context.nextRef();
  }

  /** The character code that draws glyph `gid` and extracts as `text`. */
  code(gid: number, text: string): number {
    const key = `${gid}:${text}`;
    let code = this.codes.get(key);
    if (code === undefined) {
      this.entries.push({ gid, text });
      code = this.entries.length;
      if (code > 0xffff) throw new Error("Too many distinct glyphs for one font");
      this.codes.set(key, code);
    }
    return code;
  }

  hex(codes: number[]): string {
    return codes.map(hex4).join("");
  }

  /** Writes the subset font program and the font dictionaries (call once, after all drawing). */
  finish(): void {
    const { font } = this.source;
    const ctx = this.context;
    const subset = font.createSubset();
    // fontkit returns the glyph's id in the subset (its typings say boolean).
    const include = subset as unknown as { includeGlyph(id: number): number };
    const newGid = this.entries.map((e) => include.includeGlyph(e.gid));
    const program = subset.encode();

    const scale = 1000 / font.unitsPerEm;
    const cidToGid = new Uint8Array(2 * (this.entries.length + 1));
    const widths: PDFNumber[] = [];
    this.entries.forEach((e, i) => {
      const gid = newGid[i]!;
      cidToGid[2 * (i + 1)] = gid >> 8;
      cidToGid[2 * (i + 1) + 1] = gid & 0xff;
      widths.push(PDFNumber.of(Math.round(font.getGlyph(e.gid).advanceWidth * scale)));
    });

    const name = `${subsetTag(this.entries.map((e) => `${e.gid}:${e.text}`).join("|") + this.source.slice.file)}+${(font.postscriptName || "Font").replace(/[^A-Za-z0-9-]/g, "")}`;
    const bbox = font.bbox;
    const descriptor = ctx.obj({
      Type: "FontDescriptor",
      FontName: name,
      Flags: 4,
      FontBBox: [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY].map((v) => Math.round(v * scale)),
      ItalicAngle: font.italicAngle,
      Ascent: Math.round(font.ascent * scale),
      Descent: Math.round(font.descent * scale),
      CapHeight: Math.round((font.capHeight || font.ascent) * scale),
      StemV: 80,
      FontFile2: ctx.register(ctx.flateStream(program)),
    });
    const cidFont = ctx.obj({
      Type: "Font",
      Subtype: "CIDFontType2",
      BaseFont: name,
      // Strings, not names (pdf-lib's obj() turns a bare string into a name).
      CIDSystemInfo: { Registry: PDFString.of("Adobe"), Ordering: PDFString.of("Identity"), Supplement: 0 },
      FontDescriptor: ctx.register(descriptor),
      DW: 1000,
      W: [1, widths],
      CIDToGIDMap: ctx.register(ctx.flateStream(cidToGid)),
    });
    const toUnicode = ctx.flateStream(toUnicodeCMap(this.entries));
    ctx.assign(
      this.ref,
      ctx.obj({
        Type: "Font",
        Subtype: "Type0",
        BaseFont: name,
        Encoding: "Identity-H",
        DescendantFonts: [ctx.register(cidFont)],
        ToUnicode: ctx.register(toUnicode),
      }),
    );
  }
}

/** A ToUnicode CMap (PDF 9.10.3) mapping every code to its text; marks that belong to their base map to nothing. */
function toUnicodeCMap(entries: Array<{ text: string }>): string {
  // Codes without text (marks) are left out: an empty mapping makes some readers invent a character.
  const mapped = entries.map((e, i) => ({ code: i + 1, text: e.text })).filter((e) => e.text !== "");
  const lines: string[] = [];
  for (let i = 0; i < mapped.length; i += 100) {
    const chunk = mapped.slice(i, i + 100);
    lines.push(`${chunk.length} beginbfchar`);
    for (const e of chunk) lines.push(`<${hex4(e.code)}> <${utf16Hex(e.text)}>`);
    lines.push("endbfchar");
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <ffff>",
    "endcodespacerange",
    ...lines,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
}

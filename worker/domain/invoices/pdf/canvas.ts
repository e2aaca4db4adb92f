/**
 * A small drawing surface over pdf-lib for our documents: A4 pages, shaped text in any script (text.ts), text
 * wrapped to a width, lines and filled rectangles. pdf-lib writes the file (objects, compressed streams,
 * cross-reference); fonts are embedded by embed.ts. Output is deterministic: the same document renders to the
 * same bytes (dates come from the document, subset tags from the content), so the "Export Invoice" download
 * and the email attachment are the same file.
 */
import {
  PDFDocument,
  PDFHexString,
  appendBezierCurve,
  beginText,
  closePath,
  concatTransformationMatrix,
  endText,
  fill,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingGrayscaleColor,
  setTextMatrix,
  showText,
  stroke,
  PDFName,
  type PDFOperator,
  type PDFPage,
} from "@cantoo/pdf-lib";
import { EmbeddedFont } from "./embed";
import type { FontSet, Weight } from "./fonts";
import { shapeLine, wrapText, type ShapedText } from "./text";

export type Rgb = [number, number, number];

/**
 * Shaped text per isolate (least recently used goes first): labels, names and amounts repeat across
 * documents, and shaping is most of a render's CPU. Shaping depends only on the text, the weight and the
 * fonts, which are the same static assets for the whole deployment.
 */
const SHAPE_CACHE_ENTRIES = 4000;
const shapeCache = new Map<string, ShapedText>();

export interface TextStyle {
  size?: number;
  weight?: Weight;
  align?: "left" | "right";
  color?: Rgb;
}

export class PdfCanvas {
  readonly width = 595.28;
  readonly height = 841.89;
  private page!: PDFPage;
  private pageFonts = new Map<EmbeddedFont, PDFName>();
  private readonly embedded = new Map<string, EmbeddedFont>();

  private constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FontSet,
  ) {
    this.newPage();
  }

  static async create(fonts: FontSet, info: { title: string; author: string; subject: string; date: Date }): Promise<PdfCanvas> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.setTitle(info.title);
    doc.setAuthor(info.author);
    doc.setSubject(info.subject);
    doc.setProducer("Cumulus");
    doc.setCreator("Cumulus");
    doc.setCreationDate(info.date);
    doc.setModificationDate(info.date);
    return new PdfCanvas(doc, fonts);
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  newPage(): void {
    this.page = this.doc.addPage([this.width, this.height]);
    this.pageFonts = new Map();
  }

  private shape(text: string, weight: Weight): ShapedText {
    const key = `${weight}|${text}`;
    let s = shapeCache.get(key);
    if (s) {
      shapeCache.delete(key);
    } else {
      s = shapeLine(this.fonts, text, weight);
      if (shapeCache.size >= SHAPE_CACHE_ENTRIES) shapeCache.delete(shapeCache.keys().next().value!);
    }
    shapeCache.set(key, s);
    return s;
  }

  measure(text: string, style: TextStyle = {}): number {
    return this.shape(text, style.weight ?? 400).width(style.size ?? 10);
  }

  /** `text` broken into lines no wider than `maxWidth`. */
  wrap(text: string, maxWidth: number, style: TextStyle = {}): string[] {
    return wrapText((s) => this.measure(s, style), text, maxWidth);
  }

  private fontName(font: EmbeddedFont): PDFName {
    let name = this.pageFonts.get(font);
    if (!name) {
      // Our own names (F1, F2 … per document), not pdf-lib's random suffixes: the bytes must not vary.
      name = PDFName.of(`F${font.index}`);
      this.page.node.setFontDictionary(name, font.ref);
      this.pageFonts.set(font, name);
    }
    return name;
  }

  private embeddedFor(run: ShapedText["runs"][number]): EmbeddedFont {
    const file = run.font.slice.file;
    let f = this.embedded.get(file);
    if (!f) {
      f = new EmbeddedFont(this.doc.context, run.font, this.embedded.size + 1);
      this.embedded.set(file, f);
    }
    return f;
  }

  /** Draws one line of text with its baseline at y; returns its width. */
  text(x: number, y: number, text: string, style: TextStyle = {}): number {
    const size = style.size ?? 10;
    const shaped = this.shape(text, style.weight ?? 400);
    const width = shaped.width(size);
    let pen = style.align === "right" ? x - width : x;
    const [r, g, b] = style.color ?? [0, 0, 0];
    const ops: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(r, g, b), beginText()];
    const marks: Array<{ run: ShapedText["runs"][number]; id: number; x: number; y: number; scale: number }> = [];
    for (const run of shaped.runs) {
      const font = this.embeddedFor(run);
      const scale = size / run.font.font.unitsPerEm;
      ops.push(setFontAndSize(this.fontName(font), size));
      // Glyphs whose shaped position matches their default advance go out together in one string; a glyph
      // the shaper moved (a mark, a kerned pair) starts a new string at its exact position.
      let batch: number[] = [];
      let batchX = pen;
      const flush = () => {
        if (batch.length) ops.push(setTextMatrix(1, 0, 0, 1, batchX, y), showText(PDFHexString.of(font.hex(batch))));
        batch = [];
      };
      for (const glyph of run.glyphs) {
        if (glyph.text === "" && glyph.id !== 0) {
          // A glyph that stands for no character of its own (the dots Noto draws apart from an Arabic letter's
          // skeleton): drawn as an outline, so text extraction sees only the letters.
          flush();
          marks.push({ run, id: glyph.id, x: pen + glyph.dx * scale, y: y + glyph.dy * scale, scale });
          pen += glyph.advance * scale;
          batchX = pen;
          continue;
        }
        const code = font.code(glyph.id, glyph.text);
        const natural = run.font.font.getGlyph(glyph.id).advanceWidth;
        if (glyph.dx || glyph.dy || glyph.advance !== natural) {
          flush();
          ops.push(setTextMatrix(1, 0, 0, 1, pen + glyph.dx * scale, y + glyph.dy * scale), showText(PDFHexString.of(font.hex([code]))));
          pen += glyph.advance * scale;
          batchX = pen;
        } else {
          if (!batch.length) batchX = pen;
          batch.push(code);
          pen += glyph.advance * scale;
        }
      }
      flush();
    }
    ops.push(endText());
    for (const m of marks) ops.push(...outline(m.run.font.font.getGlyph(m.id).path.commands, m.x, m.y, m.scale));
    ops.push(popGraphicsState());
    this.page.pushOperators(...ops);
    return width;
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, gray = 0.7): void {
    this.page.pushOperators(pushGraphicsState(), setStrokingGrayscaleColor(gray), setLineWidth(width), moveTo(x1, y1), lineTo(x2, y2), stroke(), popGraphicsState());
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.page.pushOperators(pushGraphicsState(), setFillingRgbColor(...color), rectangle(x, y, w, h), fill(), popGraphicsState());
  }

  async save(): Promise<Uint8Array> {
    for (const f of this.embedded.values()) f.finish();
    return this.doc.save({ useObjectStreams: true, addDefaultPage: false });
  }
}

/** A glyph outline as a filled path (quadratic TrueType curves converted to cubic), in the current fill colour. */
function outline(commands: Array<{ command: string; args: number[] }>, x: number, y: number, scale: number): PDFOperator[] {
  const ops: PDFOperator[] = [pushGraphicsState(), concatTransformationMatrix(scale, 0, 0, scale, x, y)];
  let cx = 0;
  let cy = 0;
  for (const { command, args: a } of commands) {
    if (command === "moveTo") ops.push(moveTo(a[0]!, a[1]!));
    else if (command === "lineTo") ops.push(lineTo(a[0]!, a[1]!));
    else if (command === "bezierCurveTo") ops.push(appendBezierCurve(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!));
    else if (command === "quadraticCurveTo") {
      const [qx, qy, ex, ey] = a as [number, number, number, number];
      ops.push(appendBezierCurve(cx + (2 / 3) * (qx - cx), cy + (2 / 3) * (qy - cy), ex + (2 / 3) * (qx - ex), ey + (2 / 3) * (qy - ey), ex, ey));
    } else if (command === "closePath") ops.push(closePath());
    if (a.length >= 2) [cx, cy] = [a[a.length - 2]!, a[a.length - 1]!];
  }
  ops.push(fill(), popGraphicsState());
  return ops;
}

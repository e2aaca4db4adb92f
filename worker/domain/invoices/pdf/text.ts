/**
 * Text → positioned glyphs, for any script: the Unicode bidirectional algorithm orders right-to-left runs
 * (Arabic, Hebrew) visually, each character gets the first font slice that has it (marks, joiners and
 * variation selectors stay with their base), and fontkit shapes each run (Arabic joining forms, ligatures,
 * mark positioning). Every glyph keeps the characters it stands for, so the PDF's ToUnicode map gives the
 * original text back to copy-paste and text extraction.
 */
import bidiFactory from "bidi-js";
import type { FontSet, FontSlice, LoadedFont, Weight } from "./fonts";

export interface PlacedGlyph {
  id: number;
  /** The characters this glyph prints ("" for a mark that is part of its base's character, e.g. Arabic dots). */
  text: string;
  /** Font units. */
  advance: number;
  dx: number;
  dy: number;
}

export interface GlyphRun {
  font: LoadedFont;
  glyphs: PlacedGlyph[];
  /** Font units. */
  advance: number;
}

export interface ShapedText {
  /** In visual (left-to-right drawing) order. */
  runs: GlyphRun[];
  /** Width in points at `size`. */
  width(size: number): number;
}

let bidi: ReturnType<typeof bidiFactory> | null = null;

const INHERITS = /[\p{M}\u200c\u200d\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u;
const NEUTRAL = /[\p{Z}\p{P}\p{S}\p{N}]/u;
/** Strong right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko … and their presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

interface FontRun {
  slice: FontSlice;
  text: string;
}

/** Splits a run of one embedding level into runs of one font slice (logical order). */
function fontRuns(fonts: FontSet, text: string, weight: Weight): FontRun[] {
  const runs: FontRun[] = [];
  let prevChar = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const prev = runs[runs.length - 1];
    const keep = prev && fonts.covers(prev.slice, cp) && (INHERITS.test(ch) || NEUTRAL.test(ch) || prevChar === "\u200d");
    let slice = keep ? prev.slice : fonts.sliceFor(cp, weight);
    if (!slice) {
      // Invisible format characters no font has (a stray variation selector) are dropped; anything else prints
      // as the fallback font's "missing character" box and still extracts as itself.
      if (INHERITS.test(ch)) continue;
      slice = fonts.fallback(weight);
    }
    if (prev && prev.slice === slice) prev.text += ch;
    else runs.push({ slice, text: ch });
    prevChar = ch;
  }
  return runs;
}

function shapeRun(fonts: FontSet, run: FontRun, rtl: boolean): GlyphRun {
  const font = fonts.get(run.slice);
  const laid = font.font.layout(run.text, undefined, undefined, undefined, rtl ? "rtl" : "ltr");
  const glyphs = laid.glyphs.map((g, i) => {
    const p = laid.positions[i]!;
    return { id: g.id, text: String.fromCodePoint(...g.codePoints), advance: p.xAdvance, dx: p.xOffset, dy: p.yOffset };
  });
  return { font, glyphs, advance: glyphs.reduce((a, g) => a + g.advance, 0) };
}

/** Shapes one line of text (no line breaks) in the given weight. Fonts must have been prepared for it. */
export function shapeLine(fonts: FontSet, input: string, weight: Weight): ShapedText {
  // Emoji presentation selectors and skin-tone modifiers mean nothing to a monochrome emoji font (they would
  // print as blank boxes), so they are dropped.
  const text = input.normalize("NFC").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/[\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/gu, "");
  // Text without right-to-left characters is one left-to-right run: the bidi algorithm is skipped.
  let levels: Uint8Array;
  if (RTL.test(text)) {
    bidi ??= bidiFactory();
    levels = bidi.getEmbeddingLevels(text).levels;
  } else {
    levels = new Uint8Array(text.length);
  }
  // Runs of one embedding level, by UTF-16 index (bidi-js reports levels per code unit).
  const levelRuns: Array<{ level: number; start: number; end: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const level = levels[i]!;
    const last = levelRuns[levelRuns.length - 1];
    if (last && last.level === level) last.end = i + 1;
    else levelRuns.push({ level, start: i, end: i + 1 });
  }
  // UAX #9 rule L2: from the highest level down to the lowest odd one, reverse every sequence at that level or above.
  const maxLevel = Math.max(0, ...levelRuns.map((r) => r.level));
  const minOdd = Math.min(...levelRuns.map((r) => r.level).filter((l) => l % 2 === 1), maxLevel + 1);
  for (let k = maxLevel; k >= minOdd; k--) {
    for (let i = 0; i < levelRuns.length; ) {
      if (levelRuns[i]!.level < k) {
        i++;
        continue;
      }
      let j = i;
      while (j < levelRuns.length && levelRuns[j]!.level >= k) j++;
      levelRuns.splice(i, j - i, ...levelRuns.slice(i, j).reverse());
      i = j;
    }
  }
  const runs: GlyphRun[] = [];
  for (const lr of levelRuns) {
    const rtl = lr.level % 2 === 1;
    const parts = fontRuns(fonts, text.slice(lr.start, lr.end), weight);
    for (const part of rtl ? parts.reverse() : parts) runs.push(shapeRun(fonts, part, rtl));
  }
  return { runs, width: (size) => runs.reduce((a, r) => a + (r.advance * size) / r.font.font.unitsPerEm, 0) };
}

const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u{20000}-\u{3ffff}]/u;

/**
 * Greedy line breaking: at spaces, between CJK characters (which have no spaces), and inside a word only when
 * the word alone is wider than the line. Widths are measured shaped, so Arabic and CJK wrap like Latin.
 */
export function wrapText(measure: (s: string) => number, input: string, maxWidth: number): string[] {
  const tokens: string[] = [];
  for (const part of input.replace(/\s+/g, " ").trim().split(/( )/)) {
    if (!part) continue;
    if (CJK.test(part)) tokens.push(...(part.match(/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u{20000}-\u{3ffff}]|[^\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u{20000}-\u{3ffff}]+/gu) ?? []));
    else tokens.push(part);
  }
  // A line's width is the sum of its tokens' widths (shaping never joins across a space or a CJK character),
  // so each distinct token is shaped once, not every candidate line.
  const lines: string[] = [];
  let line: string[] = [];
  let width = 0;
  const push = () => {
    while (line[line.length - 1] === " ") line.pop();
    if (line.length) lines.push(line.join(""));
    line = [];
    width = 0;
  };
  for (const token of tokens) {
    if (token === " " && !line.length) continue;
    const w = measure(token);
    if (width + w <= maxWidth) {
      line.push(token);
      width += w;
      continue;
    }
    if (token === " ") continue;
    push();
    if (w <= maxWidth) {
      line.push(token);
      width = w;
      continue;
    }
    // A word longer than the line (an email address, an IBAN): break it between characters.
    for (const ch of token) {
      const cw = measure(ch);
      if (line.length && width + cw > maxWidth) push();
      line.push(ch);
      width += cw;
    }
  }
  push();
  return lines.length ? lines : [""];
}

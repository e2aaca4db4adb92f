/**
 * The invoice fonts: Noto slices in the Worker's static assets (`/fonts/*.ttf` plus `manifest.json`, written by
 * scripts/build-fonts.mjs), fetched through the ASSETS binding, never bundled into the Worker script.
 *
 * A document asks for the characters it will print (`prepare`); we fetch only the slices that hold them (a
 * Latin invoice: two files of ~60 KB; a Chinese one: a handful of ~70 KB slices instead of a 10 MB font).
 * See docs/decisions/013-invoice-documents.md.
 */
import * as fontkit from "fontkit";
import type { FontSource } from "./source";

export type { FontSource } from "./source";

export type Weight = 400 | 700;

export interface FontSlice {
  file: string;
  family: string;
  weight: number;
  /** Sorted [start, end] code point pairs (inclusive), flattened. */
  ranges: Uint32Array;
}

interface Manifest {
  families: string[];
  files: Array<{ file: string; family: string; weight: number; ranges: number[] }>;
}


function decodeRanges(deltas: number[]): Uint32Array {
  const out = new Uint32Array(deltas.length);
  let at = 0;
  for (let i = 0; i < deltas.length; i += 2) {
    const start = at + deltas[i]!;
    const end = start + deltas[i + 1]! - 1;
    out[i] = start;
    out[i + 1] = end;
    at = end + 1;
  }
  return out;
}

function covers(slice: FontSlice, cp: number): boolean {
  const r = slice.ranges;
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < r[mid * 2]!) hi = mid - 1;
    else if (cp > r[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Per-isolate caches: the assets of one deployment never change, so a manifest and a parsed font are reused by
 * every document this isolate renders. Bounded (least recently used goes first) to stay far below the 128 MB
 * isolate limit even after many CJK invoices.
 */
const CACHE_BUDGET_BYTES = 24 * 1024 * 1024;
let manifestCache: Promise<{ order: string[]; slices: FontSlice[] }> | null = null;
const fontCache = new Map<string, { font: fontkit.Font; bytes: Uint8Array }>();
let cachedBytes = 0;

function remember(file: string, entry: { font: fontkit.Font; bytes: Uint8Array }): void {
  fontCache.set(file, entry);
  cachedBytes += entry.bytes.length;
  for (const [key, old] of fontCache) {
    if (cachedBytes <= CACHE_BUDGET_BYTES || key === file) break;
    fontCache.delete(key);
    cachedBytes -= old.bytes.length;
  }
}

export interface LoadedFont {
  slice: FontSlice;
  font: fontkit.Font;
  bytes: Uint8Array;
}

/** The fonts of one document: which slice prints a character, and the slices loaded for it. */
export class FontSet {
  private readonly loaded = new Map<string, LoadedFont>();
  private constructor(
    private readonly source: FontSource,
    private readonly order: string[],
    private readonly slices: FontSlice[],
  ) {}

  static async open(source: FontSource): Promise<FontSet> {
    manifestCache ??= source("manifest.json").then((bytes) => {
      const m = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
      return { order: m.families, slices: m.files.map((f) => ({ file: f.file, family: f.family, weight: f.weight, ranges: decodeRanges(f.ranges) })) };
    });
    try {
      const m = await manifestCache;
      return new FontSet(source, m.order, m.slices);
    } catch (err) {
      manifestCache = null;
      throw err;
    }
  }

  private readonly picked = new Map<number, FontSlice | null>();

  /** The first family (in fallback order) with a slice covering `cp`, preferring `weight`, else its 400. */
  sliceFor(cp: number, weight: Weight): FontSlice | null {
    const key = cp * 2 + (weight === 700 ? 1 : 0);
    const known = this.picked.get(key);
    if (known !== undefined) return known;
    let hit: FontSlice | null = null;
    search: for (const family of this.order) {
      for (const w of weight === 400 ? [400] : [weight, 400]) {
        hit = this.slices.find((s) => s.family === family && s.weight === w && covers(s, cp)) ?? null;
        if (hit) break search;
      }
    }
    this.picked.set(key, hit);
    return hit;
  }

  covers(slice: FontSlice, cp: number): boolean {
    return covers(slice, cp);
  }

  /** The slice that draws the "missing character" box for characters no font has. */
  fallback(weight: Weight): FontSlice {
    return this.sliceFor(0x41, weight)!;
  }

  /** Loads every slice needed to print `text` (in both weights), in parallel. */
  async prepare(text: string): Promise<void> {
    const wanted = new Set<FontSlice>();
    const seen = new Set<number>();
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (seen.has(cp)) continue;
      seen.add(cp);
      for (const w of [400, 700] as const) {
        const s = this.sliceFor(cp, w);
        if (s) wanted.add(s);
      }
    }
    wanted.add(this.fallback(400));
    wanted.add(this.fallback(700));
    await Promise.all([...wanted].map((s) => this.load(s)));
  }

  private async load(slice: FontSlice): Promise<void> {
    if (this.loaded.has(slice.file)) return;
    let entry = fontCache.get(slice.file);
    if (entry) {
      // Refresh its place in the LRU order.
      fontCache.delete(slice.file);
      fontCache.set(slice.file, entry);
    } else {
      const bytes = await this.source(slice.file);
      const font = fontkit.create(bytes as Buffer) as fontkit.Font;
      entry = { font, bytes };
      remember(slice.file, entry);
    }
    this.loaded.set(slice.file, { slice, ...entry });
  }

  get(slice: FontSlice): LoadedFont {
    const f = this.loaded.get(slice.file);
    if (!f) throw new Error(`Font ${slice.file} was not prepared`);
    return f;
  }

  has(slice: FontSlice): boolean {
    return this.loaded.has(slice.file);
  }
}

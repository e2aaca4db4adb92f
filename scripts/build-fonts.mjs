/**
 * Invoice fonts for the Worker's static assets (docs/decisions/013-invoice-documents.md).
 *
 * The invoice PDF embeds subsets of Noto fonts (SIL Open Font License 1.1) taken from the @fontsource npm
 * packages. Those packages split every font into unicode-range slices (a few KB to ~100 KB each), which is what
 * keeps a CJK invoice cheap: the Worker fetches only the slices holding the characters of that document.
 * Fontsource ships the slices as WOFF/WOFF2; we unwrap the WOFF (zlib) into plain TrueType here, at build time,
 * so the Worker never decompresses a font, and record each slice's exact character set (read from its cmap)
 * in `fonts/manifest.json`, which the renderer uses to pick a slice per character.
 *
 * Output: dist/client/fonts/{*.ttf, manifest.json, LICENSE-<package>.txt}. Cached in
 * node_modules/.cache/cumulus-fonts by package version, so a rebuild copies instead of converting.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { inflateSync } from "node:zlib";
import * as fontkit from "fontkit";

const ROOT = resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

/**
 * Fallback order: the renderer takes, for each character, the first family here whose slice covers it.
 * Weights: 700 only where the invoice prints bold in that script; bold CJK and emoji fall back to 400.
 * Noto Sans SC carries Han and kana; Noto Sans KR carries Hangul; Noto Emoji is the monochrome emoji font.
 */
export const FONT_FAMILIES = [
  { pkg: "@fontsource/noto-sans", family: "noto-sans", weights: [400, 700] },
  { pkg: "@fontsource/noto-sans-arabic", family: "noto-sans-arabic", weights: [400, 700] },
  { pkg: "@fontsource/noto-sans-hebrew", family: "noto-sans-hebrew", weights: [400, 700] },
  { pkg: "@fontsource/noto-sans-sc", family: "noto-sans-sc", weights: [400] },
  { pkg: "@fontsource/noto-sans-kr", family: "noto-sans-kr", weights: [400] },
  { pkg: "@fontsource/noto-emoji", family: "noto-emoji", weights: [400] },
];

/** WOFF 1.0 → SFNT: the same tables, inflated where compressed, behind a regular offset table. */
export function woffToSfnt(woff) {
  const dv = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (dv.getUint32(0) !== 0x774f4646) throw new Error("not a WOFF file");
  const flavor = dv.getUint32(4);
  const numTables = dv.getUint16(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((d) => dv.getUint32(at + d));
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    if (data.length !== origLength) throw new Error("WOFF table has the wrong length");
    tables.push({ tag, checksum, data });
  }
  tables.sort((a, b) => a.tag - b.tag);
  const pad = (n) => (n + 3) & ~3;
  const out = new Uint8Array(12 + 16 * numTables + tables.reduce((a, t) => a + pad(t.data.length), 0));
  const o = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(numTables));
  o.setUint32(0, flavor);
  o.setUint16(4, numTables);
  o.setUint16(6, 16 * 2 ** entrySelector);
  o.setUint16(8, entrySelector);
  o.setUint16(10, 16 * numTables - 16 * 2 ** entrySelector);
  let offset = 12 + 16 * numTables;
  tables.forEach((t, i) => {
    const rec = 12 + 16 * i;
    o.setUint32(rec, t.tag);
    o.setUint32(rec + 4, t.checksum);
    o.setUint32(rec + 8, offset);
    o.setUint32(rec + 12, t.data.length);
    out.set(t.data, offset);
    offset += pad(t.data.length);
  });
  return out;
}

/** Sorted code points → [start, length, gap, length, gap, length …] (compact in JSON). */
export function encodeRanges(codePoints) {
  const out = [];
  let prevEnd = 0;
  for (let i = 0; i < codePoints.length; ) {
    let j = i;
    while (j + 1 < codePoints.length && codePoints[j + 1] === codePoints[j] + 1) j++;
    out.push(codePoints[i] - prevEnd, j - i + 1);
    prevEnd = codePoints[j] + 1;
    i = j + 1;
  }
  return out;
}

const packageDir = (pkg) => dirname(require.resolve(`${pkg}/package.json`));

function cacheKey() {
  const h = createHash("sha256").update(readFileSync(import.meta.filename));
  for (const f of FONT_FAMILIES) h.update(`${f.pkg}@${JSON.parse(readFileSync(join(packageDir(f.pkg), "package.json"), "utf8")).version}:${f.weights}`);
  return h.digest("hex").slice(0, 16);
}

function convert(outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = [];
  for (const f of FONT_FAMILIES) {
    const dir = packageDir(f.pkg);
    for (const weight of f.weights) {
      // The package's per-weight stylesheet lists exactly the slices a browser would use for that weight.
      const css = readFileSync(join(dir, `${weight}.css`), "utf8");
      for (const m of css.matchAll(/url\(\.\/files\/([a-z0-9-]+)\.woff2\)/g)) {
        const name = m[1];
        const ttf = woffToSfnt(readFileSync(join(dir, "files", `${name}.woff`)));
        writeFileSync(join(outDir, `${name}.ttf`), ttf);
        const font = fontkit.create(Buffer.from(ttf));
        const cps = [...new Set(font.characterSet)].sort((a, b) => a - b);
        files.push({ file: `${name}.ttf`, family: f.family, weight, ranges: encodeRanges(cps) });
      }
    }
    cpSync(join(dir, "LICENSE"), join(outDir, `LICENSE-${f.family}.txt`));
  }
  const manifest = { families: FONT_FAMILIES.map((f) => f.family), files };
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest));
  return manifest;
}

/** Writes the fonts into `<outDir>` (normally dist/client/fonts). */
export function buildFonts(outDir = join(ROOT, "dist/client/fonts")) {
  const cache = join(ROOT, "node_modules/.cache/cumulus-fonts", cacheKey());
  if (!existsSync(join(cache, "manifest.json"))) {
    rmSync(dirname(cache), { recursive: true, force: true });
    convert(cache);
  }
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(cache)) cpSync(join(cache, name), join(outDir, name));
}

if (import.meta.filename === process.argv[1]) {
  buildFonts(process.argv[2] ? resolve(process.argv[2]) : undefined);
}

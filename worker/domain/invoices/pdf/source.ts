/**
 * Where the invoice fonts come from: the Worker's static assets through the ASSETS binding. Kept apart from
 * fonts.ts so request handlers can pass a source along without loading fontkit (the renderer loads it lazily).
 */

/** Reads one file under /fonts/ of the static assets. */
export type FontSource = (file: string) => Promise<Uint8Array>;

const ASSET_ORIGIN = "https://assets.invalid/fonts/";

/**
 * Fonts from the ASSETS binding. The SPA fallback answers unknown paths with index.html and status 200, so a
 * missing font is recognised by its content, not by the status.
 */
export function assetFonts(assets: Fetcher): FontSource {
  return async (file) => {
    const res = await assets.fetch(new Request(ASSET_ORIGIN + encodeURIComponent(file)));
    const bytes = new Uint8Array(await res.arrayBuffer());
    const ok = res.ok && !(res.headers.get("content-type") ?? "").startsWith("text/html");
    if (!ok) throw new Error(`Invoice font ${file} is missing from the static assets (run the Vite build).`);
    return bytes;
  };
}


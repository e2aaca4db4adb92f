export declare const FONT_FAMILIES: Array<{ pkg: string; family: string; weights: number[] }>;
export declare function woffToSfnt(woff: Uint8Array): Uint8Array;
export declare function encodeRanges(codePoints: number[]): number[];
export declare function buildFonts(outDir?: string): void;

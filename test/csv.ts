import { expect } from "vitest";

/**
 * A strict RFC 4180 parser for tests: records end with CRLF, fields are either plain (no quote, comma, CR or
 * LF) or quoted with inner quotes doubled. Anything else throws, so a sloppy writer cannot pass.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  let row: string[] = [];
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error("unterminated quoted field");
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
    } else {
      while (i < n && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`bare quote in unquoted field at ${i}`);
        field += text[i];
        i++;
      }
    }
    row.push(field);
    if (i >= n) throw new Error("record not terminated by CRLF");
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text[i] === "\r" && text[i + 1] === "\n") {
      i += 2;
      rows.push(row);
      row = [];
      if (i >= n) return rows;
      continue;
    }
    throw new Error(`unexpected character ${JSON.stringify(text[i])} at ${i}`);
  }
}

/** Spreadsheet formula-injection strings (and quoting hazards) a CSV export must carry as harmless text. */
export const INJECTIONS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", 'plain "quoted", comma', "line\nbreak", " padded ", "=cmd|' /C calc'!A0"];

/** The body's text after checking it starts with the UTF-8 BOM (Response.text() would silently drop it). */
export async function csvText(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(bytes.slice(3));
}

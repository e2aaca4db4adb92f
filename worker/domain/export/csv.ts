/**
 * A small RFC 4180 CSV writer: fields separated by commas, records by CRLF; a field containing a comma, quote,
 * CR or LF (or leading/trailing space) is quoted and its quotes doubled.
 *
 * Spreadsheet formula injection (OWASP "CSV Injection"): a text cell starting with = + - @ TAB or CR would be
 * run as a formula by Excel/LibreOffice/Sheets. Such cells get a leading apostrophe ("'=cmd…"), which the
 * spreadsheet shows as text. Plain numbers ("-12.50") are left as they are so amounts stay numeric.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/**
 * Streams a CSV: the header, then each page `nextPage` yields until it yields none. Memory stays at one page
 * whatever the export's size. A UTF-8 BOM first, so spreadsheets read accents correctly.
 */
export function csvStream<T>(header: string[], nextPage: (after: T | undefined) => Promise<T[]>, toRecord: (row: T) => Array<string | number | boolean | null>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let last: T | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`\uFEFF${csvRecord(header)}`));
          return;
        }
        const rows = await nextPage(last);
        if (rows.length === 0) return controller.close();
        last = rows[rows.length - 1];
        controller.enqueue(encoder.encode(rows.map((r) => csvRecord(toRecord(r))).join("")));
      } catch (err) {
        controller.error(err);
      }
    },
  });
}

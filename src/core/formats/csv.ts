/**
 * CSV as RFC 4180 writes it: records end in CRLF (§2.1), fields are separated by commas, and a
 * field holding a comma, a double quote, CR or LF is enclosed in double quotes with each quote
 * doubled (§2.5–2.7). Cells are also made safe for spreadsheets (OWASP "CSV Injection"): a cell
 * that starts with = + - @ (or a tab or CR, which some spreadsheets skip first) is prefixed with
 * a single quote, so it is shown as text and never run as a formula.
 */

/** A cell value; undefined is an empty cell. */
export type CsvCell = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, neutralised and quoted as needed. */
export function csvField(value: CsvCell): string {
  let text = value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of a header row and its records, each record ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** The media type of what toCsv writes: RFC 4180 §3, UTF-8, with a header line. */
export const CSV_MEDIA_TYPE = 'text/csv;charset=utf-8;header=present';

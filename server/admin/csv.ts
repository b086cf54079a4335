/**
 * CSV for spreadsheets: RFC 4180 quoting, CRLF, a UTF-8 byte-order mark (Excel reads UTF-8 only
 * with it), and a cell a spreadsheet would run as a formula (= + - @, tab, CR) starts with '.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `\uFEFF${[header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

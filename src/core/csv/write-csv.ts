/**
 * One cell of a CSV file the service writes. A text cell that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or carriage return) is neutralised with a leading `'` (OWASP's rule for CSV injection) unless
 * it is a plain number such as "-10500.00"; then the cell is quoted when it holds a quote, comma or line break.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function csvCell(value: string | null | undefined): string {
  let v = value ?? '';
  if (FORMULA_START.test(v) && !PLAIN_NUMBER.test(v)) v = `'${v}`;
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV line of cells. */
export function csvLine(values: (string | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}

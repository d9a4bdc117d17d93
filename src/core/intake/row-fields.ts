import { CsvRow, RowError } from '../csv/read-csv';
import { Decimal, dec, isDecimalString } from '../money/decimal';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** True for a real calendar date written YYYY-MM-DD (year 0001..9999). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

export interface DecimalRule {
  /** Most digits allowed after the decimal point (the column's scale). */
  scale: number;
  /** Most digits allowed before it (precision − scale). */
  integerDigits: number;
  sign?: 'any' | 'nonNegative' | 'positive';
}

/** Amounts, quotas and salaries: numeric(24,6). */
export const AMOUNT: DecimalRule = { scale: 6, integerDigits: 18, sign: 'any' };
export const NON_NEGATIVE_AMOUNT: DecimalRule = { ...AMOUNT, sign: 'nonNegative' };

/**
 * Reads the fields of one row, recording a plain-language error per bad field. Getters return null for an empty
 * optional field, and undefined for a bad or missing one (then `ok` is false). A column absent from the header was
 * reported once already, so it only makes the row not ok.
 */
export class RowFields {
  ok = true;

  constructor(
    private readonly file: string,
    private readonly row: CsvRow,
    private readonly errors: RowError[],
  ) {}

  get line(): number {
    return this.row.line;
  }

  fail(column: string, message: string): undefined {
    this.errors.push({ file: this.file, line: this.row.line, column, message });
    this.ok = false;
    return undefined;
  }

  /** The raw field; undefined when the header lacks the column. */
  raw(column: string): string | undefined {
    const value = this.row.get(column);
    if (value === undefined) this.ok = false;
    return value;
  }

  text(column: string): string | undefined;
  text(column: string, optional: 'optional'): string | null | undefined;
  text(column: string, optional?: 'optional'): string | null | undefined {
    const value = this.raw(column);
    if (value === undefined) return undefined;
    if (value === '') return optional ? null : this.fail(column, 'required value is missing');
    return value;
  }

  date(column: string): string | undefined;
  date(column: string, optional: 'optional'): string | null | undefined;
  date(column: string, optional?: 'optional'): string | null | undefined {
    const value = optional ? this.text(column, optional) : this.text(column);
    if (value === undefined || value === null) return value;
    if (!ISO_DATE.test(value)) return this.fail(column, `"${value}" is not a date in the form YYYY-MM-DD`);
    if (!isIsoDate(value)) return this.fail(column, `"${value}" is not a real calendar date`);
    return value;
  }

  decimal(column: string, rule: DecimalRule): Decimal | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!isDecimalString(value)) return this.fail(column, `"${value}" is not a plain decimal`);
    const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
    if (fraction.length > rule.scale) return this.fail(column, `"${value}" has more than ${rule.scale} decimals`);
    if (whole.replace(/^0+/, '').length > rule.integerDigits) {
      return this.fail(column, `"${value}" is too large (at most ${rule.integerDigits} digits before the decimal point)`);
    }
    const d = dec(value);
    if (rule.sign === 'nonNegative' && d.isNegative() && !d.isZero()) return this.fail(column, `"${value}" must not be negative`);
    if (rule.sign === 'positive' && !d.greaterThan(0)) return this.fail(column, `"${value}" must be greater than 0`);
    return d;
  }

  currency(column: string): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!isCurrencyCode(value)) return this.fail(column, `"${value}" is not an uppercase ISO 4217 currency code`);
    return value;
  }

  oneOf<T extends string>(column: string, allowed: readonly T[]): T | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) return this.fail(column, `"${value}" is not one of ${allowed.join(', ')}`);
    return value as T;
  }
}

/** Orders errors by line, then by the column's position in the file format, for a report that reads top to bottom. */
export function sortErrors(errors: RowError[], columns: readonly string[]): RowError[] {
  const rank = (c: string | null) => (c === null ? -1 : columns.indexOf(c));
  return errors.sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
}

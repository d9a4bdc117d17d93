import { isIsoDate } from '../calendar/dates';
import { CsvRow, ErrorSink } from '../csv/read-csv';
import { idProblem, printable } from '../ids/identifier';
import { Decimal, dec } from '../money/decimal';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A plain decimal, split into sign, integer digits (leading zeros apart) and fraction. Same language as dec() accepts. */
const PLAIN_DECIMAL = /^-?0*(\d*?)(?:\.(\d+))?$/;
const DIGIT_START = /^-?\d/;
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
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
 * Reads the fields of a file's rows, one row at a time (`at(row)`), recording a plain-language error per bad field.
 * Getters return null for an empty optional field, and undefined for a bad or missing one (then `ok` is false). A
 * column absent from the header was reported once already, so it only makes the row not ok.
 *
 * Values that repeat across rows (dates, currency codes, ids) are shared rather than copied per row
 * (`intern`), which keeps a million-row file's records small.
 */
export class RowFields {
  ok = true;
  private row!: CsvRow;
  private readonly interned = new Map<string, string>();
  /** Dates already found valid in this file, not checked again. */
  private readonly validDates = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly errors: ErrorSink,
  ) {}

  /** Moves to the next row. */
  at(row: CsvRow): this {
    this.row = row;
    this.ok = true;
    return this;
  }

  get line(): number {
    return this.row.line;
  }

  fail(column: string, message: string): undefined {
    this.errors.push({ file: this.file, line: this.row.line, column, message });
    this.ok = false;
    return undefined;
  }

  /** One shared copy of a value that repeats across rows. */
  intern(value: string): string {
    const seen = this.interned.get(value);
    if (seen !== undefined) return seen;
    this.interned.set(value, value);
    return value;
  }

  /** The raw field; undefined when the header lacks the column. */
  raw(column: string): string | undefined {
    const value = this.row.get(column);
    if (value === undefined) this.ok = false;
    return value;
  }

  /** The raw field of an optional column: null when the header lacks it (the row stays ok). */
  optional(column: string): string | null {
    return this.row.get(column) ?? null;
  }

  /** Free text (a name, an email, a product): no control characters, at most MAX_TEXT characters. */
  text(column: string): string | undefined;
  text(column: string, optional: 'optional'): string | null | undefined;
  text(column: string, optional?: 'optional'): string | null | undefined {
    const value = this.raw(column);
    if (value === undefined) return undefined;
    if (value === '') return optional ? null : this.fail(column, 'required value is missing');
    if (value.length > MAX_TEXT) return this.fail(column, `is ${value.length} characters long; at most ${MAX_TEXT} are allowed`);
    if (CONTROL.test(value)) return this.fail(column, `"${printable(value)}" contains a control character (tab, line break or other)`);
    return value;
  }

  /** An identifier (rep, booking, customer, plan, reference): the rule of core/ids/identifier.ts. */
  id(column: string): string | undefined;
  id(column: string, optional: 'optional'): string | null | undefined;
  id(column: string, optional?: 'optional'): string | null | undefined {
    const value = this.raw(column);
    if (value === undefined) return undefined;
    if (value === '') return optional ? null : this.fail(column, 'required value is missing');
    const problem = idProblem(value);
    return problem === null ? value : this.fail(column, problem);
  }

  date(column: string): string | undefined;
  date(column: string, optional: 'optional'): string | null | undefined;
  date(column: string, optional?: 'optional'): string | null | undefined {
    const value = optional ? this.text(column, optional) : this.text(column);
    if (value === undefined || value === null) return value;
    if (this.validDates.has(value)) return this.intern(value);
    if (!ISO_DATE.test(value)) return this.fail(column, `"${value}" is not a date in the form YYYY-MM-DD`);
    // PostgreSQL has no year 0.
    if (!isIsoDate(value) || value.startsWith('0000')) return this.fail(column, `"${value}" is not a real calendar date`);
    this.validDates.add(value);
    return this.intern(value);
  }

  /** A decimal column as a Decimal: `decimalText`'s checks and messages (the one parser), then its canonical string. */
  decimal(column: string, rule: DecimalRule): Decimal | undefined {
    const text = this.decimalText(column, rule);
    return text === undefined ? undefined : dec(text);
  }

  /**
   * The one decimal parser of the importers: a plain decimal within the column's scale, digits and sign, as its
   * canonical decimal string (what `Decimal.toFixed()` gives: no leading or trailing zeros, no "-0"): a large file's
   * amounts are then held as short strings, compared by value with `===` and written as they are.
   */
  decimalText(column: string, rule: DecimalRule): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    const m = DIGIT_START.test(value) ? PLAIN_DECIMAL.exec(value) : null;
    if (!m) return this.fail(column, `"${value}" is not a plain decimal`);
    if (m[2] !== undefined && m[2].length > rule.scale) return this.fail(column, `"${value}" has more than ${rule.scale} decimals`);
    if (m[1].length > rule.integerDigits) {
      return this.fail(column, `"${value}" is too large (at most ${rule.integerDigits} digits before the decimal point)`);
    }
    const d = canonicalDecimal(value, m[1], m[2]);
    if (rule.sign === 'nonNegative' && d.charCodeAt(0) === MINUS) return this.fail(column, `"${value}" must not be negative`);
    if (rule.sign === 'positive' && (d.charCodeAt(0) === MINUS || d === '0')) return this.fail(column, `"${value}" must be greater than 0`);
    return d;
  }

  currency(column: string): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!isCurrencyCode(value)) return this.fail(column, `"${value}" is not an uppercase ISO 4217 currency code`);
    return this.intern(value);
  }

  /** One of `allowed`, returned as the constant itself. */
  oneOf<T extends string>(column: string, allowed: readonly T[]): T | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    const i = (allowed as readonly string[]).indexOf(value);
    if (i < 0) return this.fail(column, `"${value}" is not one of ${allowed.join(', ')}`);
    return allowed[i];
  }
}

const MINUS = 0x2d;
/** Longest free-text field (names, emails, products, roles). */
export const MAX_TEXT = 256;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The canonical form of a plain decimal (`value` matched PLAIN_DECIMAL, giving `digits`, the integer digits after
 * any leading zeros, and `fraction`): exactly what `dec(value).toFixed()` gives, so two values are equal by value
 * exactly when their canonical strings are equal.
 */
export function canonicalDecimal(value: string, digits: string, fraction: string | undefined): string {
  let frac = fraction ?? '';
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 0x30) end--;
  if (end < frac.length) frac = frac.slice(0, end);
  const int = digits === '' ? '0' : digits;
  if (int === '0' && frac === '') return '0';
  const out = (value.charCodeAt(0) === MINUS ? '-' : '') + int + (frac === '' ? '' : '.' + frac);
  return out === value ? value : out;
}


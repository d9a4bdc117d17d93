import DecimalJs from 'decimal.js';

/**
 * The one Decimal constructor of the engine. 40 significant digits (the contract asks for at least 34) and
 * half-up rounding (away from zero on ties), configured on a clone so no library default leaks in.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;

/**
 * Exact sums of many 40-digit amounts (what PostgreSQL's unconstrained numeric sum gives): the recorded precise
 * amount per booking reference that the true-up compares against. Never used for arithmetic that is then stored.
 */
export const WideDecimal = DecimalJs.clone({
  precision: 400,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -400,
  toExpPos: 400,
});

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);
export const HUNDRED = new Decimal(100);

/** Plain decimal string: optional minus, digits, optional fraction. No exponent, no thousands separators. */
const DECIMAL_PATTERN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const LENIENT_PATTERN = /^-?\d+(?:\.\d+)?$/;

export class DecimalParseError extends Error {
  constructor(readonly input: unknown) {
    super(`not a plain decimal string: ${JSON.stringify(input)}`);
  }
}

/** True when `input` is a plain decimal string such as "1234.56" or "-10" (leading zeros tolerated). */
export function isDecimalString(input: unknown): input is string {
  return typeof input === 'string' && LENIENT_PATTERN.test(input);
}

/** Parses a plain decimal string; anything else (numbers, NaN, Infinity, exponents, blanks) throws. */
export function dec(input: string | Decimal): Decimal {
  if (input instanceof DecimalJs) return new Decimal(input);
  if (!isDecimalString(input)) throw new DecimalParseError(input);
  return new Decimal(input);
}

/** Round half-up (away from zero) to `places` decimals; the only rounding the contract allows. */
export function roundHalfUp(value: Decimal, places = 2): Decimal {
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
}

/** Cents string with exactly two decimals, e.g. "-12.30". Rounds half-up first. */
export function toCents(value: Decimal): string {
  return roundHalfUp(value, 2).toFixed(2);
}

/** Canonical string of an exact value: no exponent, no trailing zeros. */
export function toPlain(value: Decimal): string {
  return value.toFixed();
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

export function max(...values: Decimal[]): Decimal {
  return values.reduce((a, b) => (b.greaterThan(a) ? b : a));
}

export function min(...values: Decimal[]): Decimal {
  return values.reduce((a, b) => (b.lessThan(a) ? b : a));
}

export { DECIMAL_PATTERN };

import { Almanac, Engine } from 'json-rules-engine';
import { Decimal, isDecimalString } from '../money/decimal';

/**
 * json-rules-engine's built-in numeric operators compare JS floats (and `equal` is ===), so decimal strings would be
 * compared lexicographically or lose precision. Plans use these operators on amounts instead; a non-decimal operand
 * makes the condition false rather than guessing.
 */
type DecimalComparison = (a: Decimal, b: Decimal) => boolean;

const DECIMAL_OPERATORS: Record<string, DecimalComparison> = {
  decimalEq: (a, b) => a.equals(b),
  decimalNe: (a, b) => !a.equals(b),
  decimalGt: (a, b) => a.greaterThan(b),
  decimalGte: (a, b) => a.greaterThanOrEqualTo(b),
  decimalLt: (a, b) => a.lessThan(b),
  decimalLte: (a, b) => a.lessThanOrEqualTo(b),
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_OPERATORS: Record<string, (a: string, b: string) => boolean> = {
  dateOnOrAfter: (a, b) => a >= b,
  dateOnOrBefore: (a, b) => a <= b,
};

/** Built-in operators that are safe on strings. The float-based ones (lessThan, greaterThan, ...) are not allowed. */
export const STRING_OPERATORS = ['equal', 'notEqual', 'in', 'notIn'] as const;
export const KNOWN_OPERATORS: string[] = [...STRING_OPERATORS, ...Object.keys(DECIMAL_OPERATORS), ...Object.keys(DATE_OPERATORS)];

export function registerDecimalOperators(engine: Engine): void {
  for (const [name, cmp] of Object.entries(DECIMAL_OPERATORS)) {
    engine.addOperator(name, (factValue: unknown, jsonValue: unknown) =>
      isDecimalString(factValue) && isDecimalString(jsonValue) ? cmp(new Decimal(factValue), new Decimal(jsonValue)) : false,
    );
  }
  for (const [name, cmp] of Object.entries(DATE_OPERATORS)) {
    engine.addOperator(name, (factValue: unknown, jsonValue: unknown) =>
      typeof factValue === 'string' && typeof jsonValue === 'string' && ISO_DATE.test(factValue) && ISO_DATE.test(jsonValue)
        ? cmp(factValue, jsonValue)
        : false,
    );
  }
}

export type { Almanac };

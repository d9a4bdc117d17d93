import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal } from './decimal';

/**
 * ISO 4217 minor units: how many decimals an amount of a currency has (JPY 0, USD 2, BHD 3). Every amount a payee is
 * paid is rounded to its currency's minor unit, once, where the contract says. The table is ISO 4217's, not the
 * platform's locale data (CLDR, which Intl uses, gives IQD 0 and MGA 0 where ISO says 3 and 2); configuration
 * (CURRENCY_MINOR_UNITS) adds or overrides codes.
 */
const ISO_4217_EXCEPTIONS: Readonly<Record<string, number>> = {
  // no minor unit
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // three decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // four decimals
  CLF: 4, UYW: 4,
};

/** Every other currency has two decimals. */
export const DEFAULT_MINOR_UNITS = 2;

/** The most decimals a currency may have here. */
export const MAX_MINOR_UNITS = 4;

/** [code, digits] pairs that configuration adds to ISO 4217 (or overrides). */
export type MinorUnitOverrides = [string, number][];

export class MinorUnits {
  private readonly table: Map<string, number>;

  constructor(readonly overrides: MinorUnitOverrides = []) {
    this.table = new Map(Object.entries(ISO_4217_EXCEPTIONS));
    for (const [code, digits] of overrides) this.table.set(code, digits);
  }

  of(currency: string): number {
    return this.table.get(currency) ?? DEFAULT_MINOR_UNITS;
  }

  /** Parses CURRENCY_MINOR_UNITS ("XTS:3,ABC:0"). */
  static parse(text: string | undefined): { overrides: MinorUnitOverrides; problems: string[] } {
    const overrides: MinorUnitOverrides = [];
    const problems: string[] = [];
    for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([A-Z]{3}):(\d)$/.exec(part);
      if (!m || Number(m[2]) > MAX_MINOR_UNITS) problems.push(`CURRENCY_MINOR_UNITS entries are CODE:DIGITS with digits 0..${MAX_MINOR_UNITS}, got "${part}"`);
      else overrides.push([m[1], Number(m[2])]);
    }
    return { overrides, problems };
  }
}

/**
 * An amount entered for a payee must be in their currency's minor unit: refuses "250.50" for a JPY payee (it would
 * otherwise be rounded where nobody sees it). Returns the amount written with exactly that many decimals.
 */
export function inMinorUnits(field: string, amount: Decimal, currency: string, units: MinorUnits): string {
  const digits = units.of(currency);
  if (amount.decimalPlaces() > digits) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${field} has at most ${digits} decimal${digits === 1 ? '' : 's'} in ${currency} (its minor unit), got "${amount.toFixed()}"`);
  }
  return amount.toFixed(digits);
}

/**
 * The largest absolute amount any input takes (adjustments, dispute amounts): 18 digits before the point. A year of
 * such amounts for one payee still sums exactly (decimal.js keeps 40 significant digits; the columns are `numeric`).
 */
export const MAX_ABS_AMOUNT = new Decimal('999999999999999999.9999');

/** ISO 4217 alone: for code with no configuration at hand. */
export const ISO_MINOR_UNITS = new MinorUnits();

import { IsoDate } from '../calendar/dates';
import { FxTable } from '../calculation/fx-table';
import { Decimal, ZERO, roundHalfUp } from './decimal';
import { ISO_MINOR_UNITS, MinorUnits } from './minor-units';

/**
 * Money added across payees: never a bare sum of mixed currencies. A total is kept per currency and, when one figure
 * is wanted, converted into the reporting currency at the latest direct rate on or before one date (the period's
 * last day), saying which rates it used.
 */

/** An amount per currency, currencies in alphabetical order. */
export type CurrencyTotals = { currency: string; amount: string }[];

export class TotalsByCurrency {
  private readonly sums = new Map<string, Decimal>();

  add(currency: string, amount: Decimal | string): this {
    this.sums.set(currency, (this.sums.get(currency) ?? ZERO).plus(amount));
    return this;
  }

  get currencies(): string[] {
    return [...this.sums.keys()].sort();
  }

  amountOf(currency: string): Decimal {
    return this.sums.get(currency) ?? ZERO;
  }

  /** Each total in its currency's minor unit (half-up). */
  list(units: MinorUnits = ISO_MINOR_UNITS): CurrencyTotals {
    return this.currencies.map((currency) => {
      const places = units.of(currency);
      return { currency, amount: roundHalfUp(this.amountOf(currency), places).toFixed(places) };
    });
  }
}

/** "2160.00 EUR + 6500.00 USD" (alphabetical by currency; "0.00" with no currency when empty). */
export function formatTotals(totals: CurrencyTotals): string {
  return totals.length ? totals.map((t) => `${t.amount} ${t.currency}`).join(' + ') : '0.00';
}

/** One conversion into the reporting currency: the rate and the day it was loaded for (null: same currency). */
export interface ConversionRate {
  from: string;
  to: string;
  rate: string;
  date: IsoDate | null;
}

/**
 * Converts amounts into the reporting currency at the latest direct rate on or before `asOf` (identity for the same
 * currency). A missing rate throws FX_RATE_MISSING naming the pair and the date. Remembers the rates it used.
 */
export class ReportingConverter {
  private readonly used = new Map<string, ConversionRate>();

  constructor(
    readonly currency: string,
    readonly asOf: IsoDate,
    private readonly fx: FxTable,
  ) {}

  convert(amount: Decimal, from: string): Decimal {
    const { rate, date } = this.fx.rateOrThrow(from, this.currency, this.asOf);
    if (from !== this.currency && !this.used.has(from)) this.used.set(from, { from, to: this.currency, rate: rate.toFixed(), date });
    return amount.times(rate);
  }

  /** The rates used so far, by source currency (the reporting currency itself needs none). */
  rates(): ConversionRate[] {
    return [...this.used.values()].sort((a, b) => (a.from < b.from ? -1 : 1));
  }

  /** How a converted figure says what it is: "in USD at rates of 2026-03-31". */
  label(): string {
    return `in ${this.currency} at rates of ${this.asOf}`;
  }
}

import { IsoDate } from '../calendar/dates';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal, ONE } from '../money/decimal';
import { FxRateFacts } from './calculation-types';

/**
 * FX lookups: the latest rate on or before a date, for the direct pair only (no inverted or chained rates: a
 * payroll figure must come from a rate finance actually loaded). Same currency converts at 1.
 */
export class FxTable {
  private readonly byPair = new Map<string, { dates: IsoDate[]; rates: Decimal[] }>();

  constructor(rates: FxRateFacts[]) {
    const sorted = [...rates].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const r of sorted) {
      const key = `${r.from}>${r.to}`;
      const entry = this.byPair.get(key) ?? { dates: [], rates: [] };
      entry.dates.push(r.date);
      entry.rates.push(r.rate);
      this.byPair.set(key, entry);
    }
  }

  rateOrThrow(from: string, to: string, date: IsoDate): { rate: Decimal; date: IsoDate | null } {
    if (from === to) return { rate: ONE, date: null };
    const entry = this.byPair.get(`${from}>${to}`);
    if (entry) {
      let lo = 0;
      let hi = entry.dates.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (entry.dates[mid] <= date) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found >= 0) return { rate: entry.rates[found], date: entry.dates[found] };
    }
    throw new CommissionError(CommissionErrorCode.FX_RATE_MISSING, `no FX rate ${from}->${to} on or before ${date}`, { from, to, date });
  }
}

import { FxFields, fxKey, planFxChanges, validateFxCsv } from '../core/intake/fx-intake';
import { Decimal } from '../core/money/decimal';
import { FxRatesRepository } from '../fx/fx-rates.repository';
import { keyedImport } from './keyed-import';

/** fx.csv: keyed by date + from_currency + to_currency; a rate created or changed records this import as its source. */
export function fxImport(fx: FxRatesRepository) {
  return keyedImport({
    action: 'fx_rate',
    entityType: 'fx_rate',
    key: fxKey,
    read: async (_em, { file, content, onProgress, settings }) => validateFxCsv(content, file, { onProgress, maxErrors: settings.maxErrors }),
    async plan(em, { records }) {
      const stored = new Map<string, Decimal>();
      if (records.length) {
        const dates = records.map((r) => r.date).sort();
        for (const r of await fx.between(em, dates[0], dates[dates.length - 1])) stored.set(fxKey(r), r.rate);
      }
      return planFxChanges(records, stored);
    },
    insert: (tx, records, batch) => fx.insertMany(tx, records, batch.id),
    update: (tx, records, batch) => fx.updateMany(tx, records, batch.id),
    fields: (r: FxFields) => ({ date: r.date, fromCurrency: r.fromCurrency, toCurrency: r.toCurrency, rate: r.rate }),
    updateShows: 'all',
  });
}

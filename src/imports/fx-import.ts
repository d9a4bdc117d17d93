import { EntityManager } from 'typeorm';
import { FxFields, fxKey, planFxChanges, validateFxCsv } from '../core/intake/fx-intake';
import { rejectionOf } from '../core/intake/intake';
import { Decimal, dec } from '../core/money/decimal';
import { ImportSettings, OnProgress, PreparedImport } from './prepared-import';
import { Col, insertMany, updateMany } from './sql-batch';

const KEY: Col[] = [
  { name: 'rate_date', type: 'date' },
  { name: 'from_currency', type: 'text' },
  { name: 'to_currency', type: 'text' },
];
const FIELDS: Col[] = [
  { name: 'rate', type: 'numeric' },
  { name: 'import_id', type: 'bigint' },
];

const fields = (r: FxFields): FxFields => ({ date: r.date, fromCurrency: r.fromCurrency, toCurrency: r.toCurrency, rate: r.rate });

export async function prepareFxImport(em: EntityManager, file: string, content: Buffer, onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const result = validateFxCsv(content, file, { onProgress, maxErrors: settings.maxErrors });
  if (result.errorCount) throw rejectionOf(file, result);

  const stored = new Map<string, Decimal>();
  if (result.records.length) {
    const dates = result.records.map((r) => r.date).sort();
    const rows: { rate_date: string; from_currency: string; to_currency: string; rate: string }[] = await em.query(
      `SELECT rate_date, from_currency, to_currency, rate::text AS rate FROM fx_rates WHERE rate_date BETWEEN $1 AND $2`,
      [dates[0], dates[dates.length - 1]],
    );
    for (const r of rows) stored.set(fxKey({ date: r.rate_date, fromCurrency: r.from_currency, toCurrency: r.to_currency }), dec(r.rate));
  }
  const plan = planFxChanges(result.records, stored);

  return {
    rows: result.rows,
    created: plan.create.length,
    changed: plan.update.length,
    unchanged: plan.unchanged,
    async apply(tx, batchId) {
      const values = (r: FxFields) => [r.date, r.fromCurrency, r.toCurrency, r.rate.toFixed(), batchId];
      await insertMany(tx, 'fx_rates', [...KEY, ...FIELDS], plan.create.map(values));
      await updateMany(tx, 'fx_rates', KEY, FIELDS, plan.update.map((u) => values(u.record)), 'updated_at = now()');
      return [
        ...plan.create.map((r) => ({ action: 'fx_rate.create', entityType: 'fx_rate', entityId: fxKey(r), after: fields(r) })),
        ...plan.update.map((u) => ({ action: 'fx_rate.update', entityType: 'fx_rate', entityId: fxKey(u.record), before: fields(u.before), after: fields(u.record) })),
      ];
    },
  };
}

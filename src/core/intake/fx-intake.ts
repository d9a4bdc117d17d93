import { readCsv, RowErrors } from '../csv/read-csv';
import { Decimal } from '../money/decimal';
import { ChangePlan, IntakeResult } from './intake';
import { DecimalRule, RowFields } from './row-fields';

export const FX_COLUMNS = ['date', 'from_currency', 'to_currency', 'rate'] as const;

/** fx_rates.rate is numeric(30,12). */
export const FX_RATE: DecimalRule = { scale: 12, integerDigits: 18, sign: 'positive' };

export interface FxFields {
  date: string;
  fromCurrency: string;
  toCurrency: string;
  rate: Decimal;
}
export interface FxRecord extends FxFields {
  line: number;
}

export function fxKey(r: { date: string; fromCurrency: string; toCurrency: string }): string {
  return `${r.date}|${r.fromCurrency}|${r.toCurrency}`;
}

export function validateFxCsv(
  content: Buffer | string,
  file: string,
  ctx: { onProgress?: (bytesDone: number, bytesTotal: number) => void; maxErrors?: number } = {},
): IntakeResult<FxRecord> {
  const errors = new RowErrors(FX_COLUMNS, ctx.maxErrors);
  const f = new RowFields(file, errors);
  const records: FxRecord[] = [];
  const firstLine = new Map<string, number>();

  const { rows } = readCsv(content, { file, columns: FX_COLUMNS, errors, onProgress: ctx.onProgress }, (row) => {
    f.at(row);
    const date = f.date('date');
    const fromCurrency = f.currency('from_currency');
    const toCurrency = f.currency('to_currency');
    if (fromCurrency && fromCurrency === toCurrency) f.fail('to_currency', `"${toCurrency}" is the same as from_currency`);
    const rate = f.decimal('rate', FX_RATE);
    if (date !== undefined && fromCurrency !== undefined && toCurrency !== undefined) {
      const key = fxKey({ date, fromCurrency, toCurrency });
      const first = firstLine.get(key);
      if (first !== undefined) f.fail('date', `duplicate date+from_currency+to_currency "${date}"/"${fromCurrency}"/"${toCurrency}" (first on line ${first})`);
      else firstLine.set(key, row.line);
    }
    if (f.ok) records.push({ line: row.line, date: date!, fromCurrency: fromCurrency!, toCurrency: toCurrency!, rate: rate! });
  });

  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

export function planFxChanges(records: readonly FxRecord[], stored: ReadonlyMap<string, Decimal>): ChangePlan<FxRecord, FxFields> {
  const plan: ChangePlan<FxRecord, FxFields> = { create: [], update: [], unchanged: 0 };
  for (const record of records) {
    const rate = stored.get(fxKey(record));
    if (!rate) {
      plan.create.push(record);
    } else if (!rate.eq(record.rate)) {
      plan.update.push({ record, before: { date: record.date, fromCurrency: record.fromCurrency, toCurrency: record.toCurrency, rate }, changed: ['rate'] });
    } else {
      plan.unchanged++;
    }
  }
  return plan;
}

import { planFxChanges, validateFxCsv } from '../../src/core/intake/fx-intake';
import { dec } from '../../src/core/money/decimal';

const csv = (...rows: string[]) => ['date,from_currency,to_currency,rate', ...rows].join('\n') + '\n';
const err = (line: number, column: string | null, message: string) => ({ file: 'fx.csv', line, column, message });

describe('validateFxCsv', () => {
  it('accepts rates with up to 12 decimals', () => {
    const result = validateFxCsv(csv('2026-01-31,EUR,USD,1.083456789012', '2026-01-31,USD,EUR,0.92'), 'fx.csv');
    expect(result.errors).toEqual([]);
    expect(result.records.map((r) => [r.line, r.date, r.fromCurrency, r.toCurrency, r.rate.toFixed()])).toEqual([
      [2, '2026-01-31', 'EUR', 'USD', '1.083456789012'],
      [3, '2026-01-31', 'USD', 'EUR', '0.92'],
    ]);
  });

  it('reports non-positive rates, unknown currencies, same-currency pairs and duplicate keys', () => {
    const result = validateFxCsv(
      csv(
        '2026-01-31,EUR,USD,0', // 2
        '2026-01-31,EUR,USD,-1.1', // 3: also a duplicate of line 2
        '2026-01-31,EUR,EUR,1', // 4
        '2026-1-31,EURO,USD,1.0000000000001', // 5
        '2026-01-31,GBP,USD,', // 6
      ),
      'fx.csv',
    );
    expect(result.errors).toEqual([
      err(2, 'rate', '"0" must be greater than 0'),
      err(3, 'date', 'duplicate date+from_currency+to_currency "2026-01-31"/"EUR"/"USD" (first on line 2)'),
      err(3, 'rate', '"-1.1" must be greater than 0'),
      err(4, 'to_currency', '"EUR" is the same as from_currency'),
      err(5, 'date', '"2026-1-31" is not a date in the form YYYY-MM-DD'),
      err(5, 'from_currency', '"EURO" is not an uppercase ISO 4217 currency code'),
      err(5, 'rate', '"1.0000000000001" has more than 12 decimals'),
      err(6, 'rate', 'required value is missing'),
    ]);
  });
});

describe('planFxChanges', () => {
  it('a changed rate is an update with before/after; an equal rate (by value) is unchanged', () => {
    const { records } = validateFxCsv(csv('2026-01-31,EUR,USD,1.1', '2026-01-31,GBP,USD,1.27', '2026-02-28,EUR,USD,1.09'), 'fx.csv');
    const plan = planFxChanges(records, new Map([
      ['2026-01-31|EUR|USD', dec('1.100000000000')],
      ['2026-01-31|GBP|USD', dec('1.25')],
    ]));
    expect(plan.unchanged).toBe(1);
    expect(plan.create.map((r) => r.line)).toEqual([4]);
    expect(plan.update.map((u) => [u.record.line, u.before.rate.toFixed(), u.record.rate.toFixed()])).toEqual([[3, '1.25', '1.27']]);
  });
});

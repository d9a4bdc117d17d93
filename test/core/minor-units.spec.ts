import * as fs from 'node:fs';
import { PayeeResult } from '../../src/core/calculation/calculation-types';
import { CommissionError, CommissionErrorCode } from '../../src/core/errors/commission-error';
import { inMinorUnits, ISO_MINOR_UNITS, MinorUnits } from '../../src/core/money/minor-units';
import { validatePayrollCsv } from '../../src/core/intake/payroll-intake';
import { assignment, booking, D, rep, runPeriods } from '../support/core-builders';

/** Each payee's amounts are rounded to their currency's ISO 4217 minor unit: JPY whole yen, BHD three decimals. */
describe('ISO 4217 minor units', () => {
  it('ISO 4217 by default, configuration on top', () => {
    expect(['USD', 'EUR', 'JPY', 'KRW', 'BHD', 'KWD', 'IQD', 'CLF', 'XTS'].map((c) => ISO_MINOR_UNITS.of(c))).toEqual([2, 2, 0, 0, 3, 3, 3, 4, 2]);
    const parsed = MinorUnits.parse('XTS:3, JPY:2');
    expect(parsed).toEqual({ overrides: [['XTS', 3], ['JPY', 2]], problems: [] });
    expect(new MinorUnits(parsed.overrides).of('XTS')).toBe(3);
    expect(MinorUnits.parse('usd:2,XTS:7,XTS').problems).toEqual([
      'CURRENCY_MINOR_UNITS entries are CODE:DIGITS with digits 0..4, got "usd:2"',
      'CURRENCY_MINOR_UNITS entries are CODE:DIGITS with digits 0..4, got "XTS:7"',
      'CURRENCY_MINOR_UNITS entries are CODE:DIGITS with digits 0..4, got "XTS"',
    ]);
  });

  it('an amount entered for a payee has at most their currency\'s decimals', () => {
    expect(inMinorUnits('amount', D('250'), 'JPY', ISO_MINOR_UNITS)).toBe('250');
    expect(inMinorUnits('amount', D('1.5'), 'BHD', ISO_MINOR_UNITS)).toBe('1.500');
    expect(() => inMinorUnits('amount', D('250.5'), 'JPY', ISO_MINOR_UNITS)).toThrow(new CommissionError(CommissionErrorCode.INVALID_INPUT, 'amount has at most 0 decimals in JPY (its minor unit), got "250.5"'));
  });

  it('payroll amounts: more decimals than the currency allows reject the file, with line and column', () => {
    const csv = 'rep_id,period,currency,amount,paid_date,reference\nJ,2026-01,JPY,50001,2026-02-05,P1\nJ,2026-02,JPY,50000.5,2026-03-05,P2\nB,2026-01,BHD,500.001,2026-02-05,P3\nU,2026-01,USD,1.005,2026-02-05,P4\n';
    const r = validatePayrollCsv(csv, 'payroll.csv', new Set(['J', 'B', 'U']));
    expect(r.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [3, 'amount', '"50000.5" has more than 0 decimals (the minor unit of JPY)'],
      [5, 'amount', '"1.005" has more than 2 decimals (the minor unit of USD)'],
    ]);
  });

  it('the portal formats with the same table', () => {
    const ui = fs.readFileSync('src/portal/static/ui.js', 'utf8');
    const table = /const MINOR_UNITS = \{([^}]*)\}/.exec(ui)?.[1] ?? '';
    const entries = [...table.matchAll(/([A-Z]{3}): (\d)/g)].map(([, code, d]) => [code, Number(d)] as const);
    expect(entries.length).toBeGreaterThan(20);
    for (const [code, d] of entries) expect([code, ISO_MINOR_UNITS.of(code)]).toEqual([code, d]);
    const core = fs.readFileSync('src/core/money/minor-units.ts', 'utf8');
    expect([...core.matchAll(/([A-Z]{3}): (\d)/g)].length).toBe(entries.length);
  });

  /**
   * ae-2026 with quotas in the payee's currency: Q = 120,000,000, V = 12,000,000, so r = 0.1 and the first band pays
   * 5% up to 60,000,000. Bookings are small, so every commission is 5% of the year's credit so far; renewals pay 2%.
   */
  const view = (r: PayeeResult | undefined) => r && { earnedToDate: r.earnedToDate.toFixed(), earned: r.earned.toFixed(), payout: r.payout.toFixed(), minorUnits: r.minorUnits, lines: r.lines.map((l) => [l.kind, l.bookingId, l.amount.toFixed()]) };

  it('a JPY payee through the year: whole yen, a rounding line when the lines round apart from the window', async () => {
    const res = await runPeriods(
      {
        reps: [rep('J', { currency: 'JPY', hireDate: '2024-01-01' })],
        assignments: [assignment('J', 'ae-2026', { quota: '120000000', variable: '12000000', base: '10000000' })],
        bookings: [
          booking('J1', { amount: '1000010', currency: 'JPY', bookedDate: '2026-01-10', credits: [['J', '100']] }),
          booking('J2', { amount: '1000010', currency: 'JPY', bookedDate: '2026-02-10', credits: [['J', '100']] }),
          booking('JR', { type: 'renewal', amount: '1000025', currency: 'JPY', bookedDate: '2026-03-10', credits: [['J', '100']] }),
        ],
      },
      '2026-01',
      '2026-12',
    );
    const at = (p: string) => view(res.get(p)?.get('J'));
    // January: 5% of 1,000,010 = 50,000.5, half-up to 50,001 yen
    expect(at('2026-01')).toEqual({ earnedToDate: '50001', earned: '50001', payout: '50001', minorUnits: 0, lines: [['commission', 'J1', '50001']] });
    // February: the window is 5% of 2,000,020 = 100,001.0 yen; J2's share 50,000.5 rounds to 50,001, one yen too many
    // against 100,001 − 50,001 already paid, so a rounding line takes it back
    expect(at('2026-02')).toEqual({ earnedToDate: '100001', earned: '50000', payout: '50000', minorUnits: 0, lines: [['commission', 'J2', '50001'], ['rounding', null, '-1']] });
    // March: the renewal pays 2% of 1,000,025 = 20,000.5, half-up to 20,001 yen
    expect(at('2026-03')).toEqual({ earnedToDate: '120002', earned: '20001', payout: '20001', minorUnits: 0, lines: [['commission', 'JR', '20001']] });
    // nothing after: the year ends where March left it, and every payout was whole yen
    expect(at('2026-12')).toEqual({ earnedToDate: '120002', earned: '0', payout: '0', minorUnits: 0, lines: [] });
    for (const p of res.values()) for (const r of p.values()) expect([r.payout.decimalPlaces(), ...r.lines.map((l) => l.amount.decimalPlaces())].every((d) => d === 0)).toBe(true);
  });

  it('a BHD payee through the year: three decimals, where USD would round to cents', async () => {
    const res = await runPeriods(
      {
        reps: [rep('B', { currency: 'BHD', hireDate: '2024-01-01' })],
        assignments: [assignment('B', 'ae-2026', { quota: '120000000', variable: '12000000', base: '10000000' })],
        bookings: [
          booking('B1', { amount: '10000.01', currency: 'BHD', bookedDate: '2026-01-10', credits: [['B', '100']] }),
          booking('B2', { amount: '10000.01', currency: 'BHD', bookedDate: '2026-02-10', credits: [['B', '100']] }),
        ],
      },
      '2026-01',
      '2026-12',
    );
    const at = (p: string) => view(res.get(p)?.get('B'));
    // 5% of 10,000.01 = 500.0005, half-up to 500.001 (in USD it would be 500.00)
    expect(at('2026-01')).toEqual({ earnedToDate: '500.001', earned: '500.001', payout: '500.001', minorUnits: 3, lines: [['commission', 'B1', '500.001']] });
    // the window: 5% of 20,000.02 = 1,000.001; B2's 500.0005 rounds to 500.001, a thousandth too many
    expect(at('2026-02')).toEqual({ earnedToDate: '1000.001', earned: '500', payout: '500', minorUnits: 3, lines: [['commission', 'B2', '500.001'], ['rounding', null, '-0.001']] });
    expect(at('2026-12')).toEqual({ earnedToDate: '1000.001', earned: '0', payout: '0', minorUnits: 3, lines: [] });
  });
});

import { assignment, booking, fx, rep, runPeriods, summary } from '../support/core-builders';

/** mgr-2026: 1.5% of direct reports' quota credit, converted into the manager's currency at the booked date. */
describe('mgr-2026: sales manager override', () => {
  let res: Awaited<ReturnType<typeof runPeriods>>;
  beforeAll(async () => {
    res = await runPeriods(
      {
        reps: [
          rep('G', { currency: 'EUR' }),
          rep('A', { managerId: 'G' }),
          rep('B', { managerId: 'G' }),
          rep('M', { managerId: 'G' }),
          rep('Z', { managerId: 'A' }), // A's report: not G's direct report
        ],
        assignments: [
          assignment('G', 'mgr-2026', { quota: '0', variable: '30000' }),
          assignment('A', 'ae-2026'),
          assignment('B', 'ae-2026'),
          assignment('M', 'am-2026', { quota: '400000' }),
          assignment('Z', 'ae-2026'),
        ],
        bookings: [
          booking('A1', { amount: '100000', bookedDate: '2026-01-20', credits: [['A', '100']] }),
          booking('S1', { amount: '50000', bookedDate: '2026-01-22', credits: [['A', '60'], ['B', '40']] }),
          booking('AR', { type: 'renewal', amount: '70000', bookedDate: '2026-01-23', credits: [['A', '100']] }), // renewal: not AE quota credit
          booking('M1', { type: 'renewal', amount: '40000', bookedDate: '2026-01-10', credits: [['M', '100']] }),
          booking('Z1', { amount: '90000', bookedDate: '2026-01-11', credits: [['Z', '100']] }),
          booking('A2', { type: 'expansion', amount: '50000', bookedDate: '2026-03-15', credits: [['A', '100']] }),
        ],
        fxRates: [fx('2026-01-01', 'USD', 'EUR', '0.9'), fx('2026-03-01', 'USD', 'EUR', '0.8')],
      },
      '2026-01',
      '2026-03',
    );
  });

  it('January: (100,000 + 50,000 + 40,000) USD × 0.9 = 171,000 EUR of team credit × 1.5% = 2,565.00', () => {
    expect(summary(res.get('2026-01')!.get('G'))).toEqual({ earnedToDate: '2565.00', earned: '2565.00', draw: '0.00', payout: '2565.00', balance: '0.00' });
    const refs = res.get('2026-01')!.get('G')!.lines.map((l) => [l.ref, l.amount.toFixed(2)]);
    expect(refs).toEqual([
      ['A1/A', '1350.00'],
      ['M1/M', '540.00'],
      ['S1/A', '405.00'],
      ['S1/B', '270.00'],
    ]);
    expect(res.get('2026-01')!.get('G')!.currency).toBe('EUR');
  });

  it('March: 50,000 USD at 0.8 = 40,000 EUR adds 600.00', () => {
    expect(summary(res.get('2026-03')!.get('G'))).toEqual({ earnedToDate: '3165.00', earned: '600.00', draw: '0.00', payout: '600.00', balance: '0.00' });
  });
});

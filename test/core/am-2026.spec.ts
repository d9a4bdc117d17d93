import type { EarningTrace } from '../../src/core/calculation/trace';
import { assignment, booking, fx, lineView, rep, runPeriods, summary } from '../support/core-builders';

/** am-2026 walked by hand: Q = 400,000, so a full quarter's quota Qq = 100,000. */
describe('am-2026: account manager', () => {
  let res: Awaited<ReturnType<typeof runPeriods>>;
  beforeAll(async () => {
    res = await runPeriods(
      {
        reps: [rep('M')],
        assignments: [assignment('M', 'am-2026', { quota: '400000', variable: '28000' })],
        bookings: [
          booking('R1', { type: 'renewal', amount: '40000', bookedDate: '2026-01-10', credits: [['M', '100']] }),
          // cancelled 85 days after booking, in May: inside the 90-day clawback window
          booking('E1', { type: 'expansion', amount: '30000', bookedDate: '2026-02-05', cancelledDate: '2026-05-01', credits: [['M', '100']] }),
          // 24-month renewal: ACV 18,000
          booking('R2', { type: 'renewal', amount: '36000', termMonths: 24, bookedDate: '2026-03-01', credits: [['M', '100']] }),
          // new business does not credit an AM
          booking('N1', { type: 'new', amount: '50000', bookedDate: '2026-03-02', credits: [['M', '100']] }),
          booking('R3', { type: 'renewal', amount: '600000', bookedDate: '2026-04-02', credits: [['M', '100']] }),
          booking('R4', { type: 'renewal', amount: '80000', bookedDate: '2026-07-15', credits: [['M', '100']] }),
        ],
      },
      '2026-01',
      '2026-12',
    );
  });
  const at = (p: string) => res.get(p)!.get('M');

  it('January: 40% attainment is below the 50% gate and pays nothing', () => {
    expect(summary(at('2026-01'))).toEqual({ earnedToDate: '0.00', earned: '0.00', draw: '0.00', payout: '0.00', balance: '0.00' });
  });

  it('February: 70% pays 3% retroactively on all 70,000', () => {
    expect(summary(at('2026-02'))).toEqual({ earnedToDate: '2100.00', earned: '2100.00', draw: '0.00', payout: '2100.00', balance: '0.00' });
    expect(lineView(at('2026-02')!)).toEqual([
      ['commission', 'E1', '900.00'],
      ['commission', 'R1', '1200.00'],
    ]);
  });

  it('March: 88% lifts the whole quarter to 5% (earlier bookings get the rate difference)', () => {
    expect(summary(at('2026-03'))).toEqual({ earnedToDate: '4400.00', earned: '2300.00', draw: '0.00', payout: '2300.00', balance: '0.00' });
    expect(lineView(at('2026-03')!)).toEqual([
      ['commission', 'E1', '600.00'],
      ['commission', 'R1', '800.00'],
      ['commission', 'R2', '900.00'],
    ]);
  });

  it('April: a 600,000 renewal earns 7% = 42,000, capped at 30,000 for the quarter', () => {
    expect(summary(at('2026-04'))).toEqual({ earnedToDate: '34400.00', earned: '30000.00', draw: '0.00', payout: '30000.00', balance: '0.00' });
    expect((at('2026-04')!.lines[0].trace as EarningTrace).payoutCapHit).toBe(true);
  });

  it('May: the cancelled February expansion drops Q1 to 58% (3%): a negative true-up carried as balance', () => {
    // Q1 now 58,000 × 3% = 1,740; E = 1,740 + 30,000 = 31,740; earned = 31,740 − 34,400 = −2,660
    expect(summary(at('2026-05'))).toEqual({ earnedToDate: '31740.00', earned: '-2660.00', draw: '0.00', payout: '0.00', balance: '2660.00' });
    expect(lineView(at('2026-05')!)).toEqual([
      ['clawback', 'E1', '-1500.00'],
      ['commission', 'R1', '-800.00'],
      ['commission', 'R2', '-360.00'],
      ['negative_carried_forward', null, '2660.00'],
    ]);
  });

  it('July: Q3 at 80% pays 5% = 4,000, of which 2,660 recovers the balance', () => {
    expect(summary(at('2026-06'))).toEqual({ earnedToDate: '31740.00', earned: '0.00', draw: '0.00', payout: '0.00', balance: '2660.00' });
    expect(summary(at('2026-07'))).toEqual({ earnedToDate: '35740.00', earned: '4000.00', draw: '0.00', payout: '1340.00', balance: '0.00' });
  });

  it('prorates the quarterly quota by active days in the quarter (no ramp)', async () => {
    // hired 16 Jan: Q1 active days 75 of 90 -> Qq = 100,000 × 75/90 = 83,333.33…; 50,000 credit = 60% -> 3%
    const r = await runPeriods(
      {
        reps: [rep('H', { hireDate: '2026-01-16' })],
        assignments: [assignment('H', 'am-2026', { quota: '400000', startDate: '2026-01-16' })],
        bookings: [booking('X', { type: 'renewal', amount: '50000', bookedDate: '2026-02-01', credits: [['H', '100']] })],
      },
      '2026-01',
      '2026-02',
    );
    const w = r.get('2026-02')!.get('H')!.windows[0];
    expect(w.quota).toBe('83333.33333333333333333333333333333333333');
    expect(w.attainment).toBe('0.6');
    expect(summary(r.get('2026-02')!.get('H'))!.earned).toBe('1500.00');
  });

  it('a credit of exactly 50% of a non-terminating prorated quota meets the gate', async () => {
    // Qq = 83,333.33…; 50% = 41,666.66…; a credit of 41,666.666666 is below it, 41,666.67 above
    const run = async (amount: string) =>
      (
        await runPeriods(
          {
            reps: [rep('H', { hireDate: '2026-01-16' })],
            assignments: [assignment('H', 'am-2026', { quota: '400000', startDate: '2026-01-16' })],
            bookings: [booking('X', { type: 'renewal', amount, bookedDate: '2026-02-01', credits: [['H', '100']] })],
          },
          '2026-02',
          '2026-02',
        )
      )
        .get('2026-02')!
        .get('H')!;
    expect((await run('41666.666666')).earned.toFixed(2)).toBe('0.00');
    expect((await run('41666.67')).earned.toFixed(2)).toBe('1250.00');
  });

  it('converts a EUR booking into the payee currency at the latest rate on or before the booked date', async () => {
    const r = await runPeriods(
      {
        reps: [rep('M')],
        assignments: [assignment('M', 'am-2026', { quota: '400000' })],
        bookings: [booking('F', { type: 'renewal', amount: '60000', currency: 'EUR', bookedDate: '2026-01-20', credits: [['M', '100']] })],
        fxRates: [fx('2026-01-01', 'EUR', 'USD', '1.10'), fx('2026-01-21', 'EUR', 'USD', '1.20')],
      },
      '2026-01',
      '2026-01',
    );
    // 60,000 × 1.10 = 66,000 = 66% -> 3% = 1,980
    expect(summary(r.get('2026-01')!.get('M'))!.earned).toBe('1980.00');
    expect(r.get('2026-01')!.get('M')!.lines[0].trace).toEqual(expect.objectContaining({ fxRate: '1.1', fxDate: '2026-01-01', credit: '66000' }));
  });

  it('fails with the pair and date when no FX rate exists', async () => {
    await expect(
      runPeriods(
        {
          reps: [rep('M')],
          assignments: [assignment('M', 'am-2026')],
          bookings: [booking('F', { type: 'renewal', amount: '60000', currency: 'GBP', bookedDate: '2026-01-20', credits: [['M', '100']] })],
        },
        '2026-01',
        '2026-01',
      ),
    ).rejects.toThrow('no FX rate GBP->USD on or before 2026-01-20');
  });
});

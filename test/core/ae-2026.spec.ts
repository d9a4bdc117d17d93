import type { TieredTrace } from '../../src/core/calculation/trace';
import { assignment, booking, lineView, rep, runPeriods, summary } from '../support/core-builders';

/**
 * ae-2026 walked by hand. Q = 1,200,000, V = 120,000, so the base rate r = 0.1 and the marginal bands pay
 * 0.05 up to 600k, 0.10 to 1.2M, 0.15 to 1.8M, 0.20 to 3.0M and nothing above (2.5 × Eq cap).
 */
describe('ae-2026: account executive', () => {
  describe('a tenured AE through clawback, negative balance and recovery', () => {
    const bookings = [
      // TCV 240,000 over 24 months -> ACV 120,000; qualifies for the Q1 PLATFORM SPIF; cancelled 64 days later
      booking('B1', { amount: '240000', termMonths: 24, bookedDate: '2026-01-15', product: 'PLATFORM', credits: [['A', '100']], cancelledDate: '2026-03-20' }),
      booking('B2', { type: 'expansion', amount: '600000', bookedDate: '2026-02-10', credits: [['A', '100']] }),
      booking('R1', { type: 'renewal', amount: '100000', bookedDate: '2026-03-05', credits: [['A', '100']] }),
      booking('B3', { amount: '1000000', bookedDate: '2026-05-01', credits: [['A', '100']] }),
      booking('B4', { amount: '2000000', bookedDate: '2026-09-01', credits: [['A', '100']] }),
    ];
    let res: Awaited<ReturnType<typeof runPeriods>>;
    beforeAll(async () => {
      res = await runPeriods({ reps: [rep('A', { hireDate: '2025-06-01' })], assignments: [assignment('A', 'ae-2026')], bookings }, '2026-01', '2026-12');
    });
    const at = (p: string) => res.get(p)?.get('A');

    it('January: 120,000 ACV at 5% plus the 500 SPIF', () => {
      expect(summary(at('2026-01'))).toEqual({ earnedToDate: '6500.00', earned: '6500.00', draw: '0.00', payout: '6500.00', balance: '0.00' });
      expect(lineView(at('2026-01')!)).toEqual([
        ['commission', 'B1', '6000.00'],
        ['spiff', 'B1', '500.00'],
      ]);
    });

    it('February: 600,000 expansion fills 480,000 at 5% and 120,000 at 10%', () => {
      expect(summary(at('2026-02'))).toEqual({ earnedToDate: '42500.00', earned: '36000.00', draw: '0.00', payout: '36000.00', balance: '0.00' });
      const line = at('2026-02')!.lines[0];
      expect((line.trace as TieredTrace).bands).toEqual([
        expect.objectContaining({ tier: 1, portion: '480000', rate: '0.05', amount: '24000' }),
        expect.objectContaining({ tier: 2, portion: '120000', rate: '0.1', amount: '12000' }),
      ]);
    });

    it('March: B1 cancelled inside 90 days claws back its commission and SPIF; B2 drops a band; renewal pays 2%', () => {
      expect(summary(at('2026-03'))).toEqual({ earnedToDate: '32000.00', earned: '-10500.00', draw: '0.00', payout: '0.00', balance: '10500.00' });
      expect(lineView(at('2026-03')!)).toEqual([
        ['clawback', 'B1', '-6000.00'],
        ['commission', 'B2', '-6000.00'],
        ['commission', 'R1', '2000.00'],
        ['clawback', 'B1', '-500.00'],
        ['negative_carried_forward', null, '10500.00'],
      ]);
    });

    it('April: nothing new, the balance stays owed', () => {
      expect(summary(at('2026-04'))).toEqual({ earnedToDate: '32000.00', earned: '0.00', draw: '0.00', payout: '0.00', balance: '10500.00' });
    });

    it('May: 1,000,000 reaches the 150% accelerator; the owed 10,500 is recovered', () => {
      // YTD 1.6M: 30,000 + 60,000 + 400,000 × 0.15 = 150,000 quota commission
      expect(summary(at('2026-05'))).toEqual({ earnedToDate: '152000.00', earned: '120000.00', draw: '0.00', payout: '109500.00', balance: '0.00' });
      expect(lineView(at('2026-05')!)).toEqual([
        ['commission', 'B3', '120000.00'],
        ['balance_recovery', null, '-10500.00'],
      ]);
    });

    it('September: 2,000,000 more hits the 250% attainment cap', () => {
      // YTD 3.6M capped at 3.0M: 30k + 60k + 90k + 1.2M × 0.2 = 420,000
      expect(summary(at('2026-09'))).toEqual({ earnedToDate: '422000.00', earned: '270000.00', draw: '0.00', payout: '270000.00', balance: '0.00' });
      expect((at('2026-09')!.lines[0].trace as TieredTrace).capHit).toBe(true);
      expect(summary(at('2026-12'))).toEqual({ earnedToDate: '422000.00', earned: '0.00', draw: '0.00', payout: '0.00', balance: '0.00' });
    });
  });

  describe('a 2026 hire: ramp, day-based proration and the recoverable draw', () => {
    // Hired 16 Feb: Eq = 100,000 × 0.25 × 13/28 + 50,000 + 75,000 + 8 × 100,000 = 936,607.142857…
    let res: Awaited<ReturnType<typeof runPeriods>>;
    beforeAll(async () => {
      res = await runPeriods(
        {
          reps: [rep('N', { hireDate: '2026-02-16' })],
          assignments: [assignment('N', 'ae-2026', { startDate: '2026-02-16' })],
          bookings: [
            booking('N1', { amount: '100000', bookedDate: '2026-03-10', credits: [['N', '100']] }),
            booking('N2', { amount: '500000', bookedDate: '2026-05-05', credits: [['N', '100']] }),
          ],
        },
        '2026-01',
        '2026-06',
      );
    });
    const at = (p: string) => res.get(p)?.get('N');

    it('is not a payee before the hire month', () => {
      expect(at('2026-01')).toBeUndefined();
    });

    it('ramps the quota by tenure month and prorates the hire month by days', () => {
      const w = at('2026-03')!.windows.find((x) => x.componentId === 'quota-commission')!;
      expect(w.quota).toBe('936607.1428571428571428571428571428571429');
      const steps = (w.trace.quota as { steps: { month: string; ramp: string; activeDays: number; quota: string }[] }).steps;
      expect(steps.slice(0, 3)).toEqual([
        expect.objectContaining({ month: '2026-02', tenureMonth: 1, ramp: '0.25', activeDays: 13, daysInMonth: 28 }),
        expect.objectContaining({ month: '2026-03', tenureMonth: 2, ramp: '0.5', activeDays: 31, quota: '50000' }),
        expect.objectContaining({ month: '2026-04', tenureMonth: 3, ramp: '0.75', quota: '75000' }),
      ]);
    });

    it('pays the 2,000 draw in tenure months 1-3 and recovers it from commission', () => {
      expect(summary(at('2026-02'))).toEqual({ earnedToDate: '0.00', earned: '0.00', draw: '2000.00', payout: '2000.00', balance: '2000.00' });
      // 100,000 × 0.05 = 5,000 earned; x = 5,000 − 2,000 = 3,000 > draw
      expect(summary(at('2026-03'))).toEqual({ earnedToDate: '5000.00', earned: '5000.00', draw: '2000.00', payout: '3000.00', balance: '0.00' });
      expect(summary(at('2026-04'))).toEqual({ earnedToDate: '5000.00', earned: '0.00', draw: '2000.00', payout: '2000.00', balance: '2000.00' });
      // YTD 600,000: 0.1 × 600,000 − 0.05 × 468,303.5714… = 36,584.8214… -> 36,584.82
      expect(summary(at('2026-05'))).toEqual({ earnedToDate: '36584.82', earned: '31584.82', draw: '0.00', payout: '29584.82', balance: '0.00' });
      expect(lineView(at('2026-04')!)).toEqual([['draw', null, '2000.00']]);
    });
  });

  describe('crediting', () => {
    it('splits credit by split_pct and pays the SPIF split-adjusted; bookings outside active days do not credit', async () => {
      const res = await runPeriods(
        {
          reps: [rep('A'), rep('B'), rep('L', { terminationDate: '2026-01-20' })],
          assignments: [assignment('A', 'ae-2026'), assignment('B', 'ae-2026'), assignment('L', 'ae-2026')],
          bookings: [
            booking('S1', { amount: '60000', product: 'PLATFORM', bookedDate: '2026-01-10', credits: [['A', '60'], ['B', '40']] }),
            booking('S2', { amount: '10000', bookedDate: '2026-01-25', credits: [['L', '100']] }),
          ],
        },
        '2026-01',
        '2026-01',
      );
      const jan = res.get('2026-01')!;
      // A: 36,000 × 0.05 = 1,800 + SPIF 300; B: 24,000 × 0.05 = 1,200 + SPIF 200
      expect(summary(jan.get('A'))!.earned).toBe('2100.00');
      expect(summary(jan.get('B'))!.earned).toBe('1400.00');
      // L left on 20 Jan: S2 was booked on the 25th
      expect(summary(jan.get('L'))!.earned).toBe('0.00');
    });

    it('a booking cancelled more than 90 days after booking keeps counting', async () => {
      const res = await runPeriods(
        {
          reps: [rep('A')],
          assignments: [assignment('A', 'ae-2026')],
          bookings: [booking('K', { amount: '100000', bookedDate: '2026-01-05', cancelledDate: '2026-04-10', credits: [['A', '100']] })],
        },
        '2026-01',
        '2026-04',
      );
      expect(summary(res.get('2026-04')!.get('A'))!.earnedToDate).toBe('5000.00');
    });
  });

  it('a mid-year quota change: Eq sums both assignments for the whole year from the start', async () => {
    // Jan-Jun at Q 1.2M, Jul-Dec at Q 2.4M: Eq = 6 x 100,000 + 6 x 200,000 = 1,800,000 already in March, so 400,000
    // of credit sits in the first band (up to 900,000) at 0.5 x (120,000 / 1,200,000) = 5% -> 20,000
    const res = await runPeriods(
      {
        reps: [rep('Q')],
        assignments: [
          assignment('Q', 'ae-2026', { startDate: '2026-01-01', endDate: '2026-06-30', quota: '1200000', variable: '120000' }),
          assignment('Q', 'ae-2026', { startDate: '2026-07-01', quota: '2400000', variable: '240000' }),
        ],
        bookings: [booking('QB', { amount: '400000', bookedDate: '2026-03-10', credits: [['Q', '100']] })],
      },
      '2026-03',
      '2026-03',
    );
    const r = res.get('2026-03')!.get('Q')!;
    expect(r.windows.find((w) => w.componentId === 'quota-commission')!.quota).toBe('1800000');
    expect(summary(r)!.earned).toBe('20000.00');
  });
});


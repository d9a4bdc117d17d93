import fc from 'fast-check';
import { calculatePeriod } from '../../src/core/calculation/calculate-period';
import { marginal, reachedTier, resolveTiers } from '../../src/core/calculation/tiers';
import { Decimal, ZERO } from '../../src/core/money/decimal';
import { assignment, booking, foldPrior, GOLDEN_PLANS, rep } from '../support/core-builders';

const amountArb = fc.integer({ min: -50_000_00, max: 3_000_000_00 }).map((c) => new Decimal(c).dividedBy(100).toFixed());
const splitArb = fc.constantFrom('100', '50', '33.333333', '60', '40', '12.5');
const dayArb = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
const typeArb = fc.constantFrom('new', 'renewal', 'expansion');

const bookingsArb = fc.array(
  fc.record({ amount: amountArb, split: splitArb, day: dayArb, type: typeArb, term: fc.constantFrom(12, 24, 36, 6), cancelAfter: fc.option(fc.integer({ min: 0, max: 200 })) }),
  { maxLength: 12 },
);

type GenBooking = { amount: string; split: string; day: string; type: string; term: number; cancelAfter: number | null };

function scenario(bs: GenBooking[]) {
  return {
    reps: [rep('A', { managerId: 'G', hireDate: '2026-02-10' }), rep('M', { managerId: 'G' }), rep('G')],
    assignments: [assignment('A', 'ae-2026', { startDate: '2026-02-10' }), assignment('M', 'am-2026', { quota: '400000' }), assignment('G', 'mgr-2026')],
    bookings: bs.map((b, i) => {
      const cancelled = b.cancelAfter === null ? null : new Date(Date.parse(b.day) + b.cancelAfter * 86400000).toISOString().slice(0, 10);
      return booking(`P${i}`, { amount: b.amount, type: b.type, termMonths: b.term, bookedDate: b.day, cancelledDate: cancelled, product: 'PLATFORM', credits: [['A', b.split], ['M', b.split]] });
    }),
  };
}

describe('invariants (fast-check)', () => {
  it('over a year: lines sum to payouts, payouts are never negative, E(m) − earned before = earned', async () => {
    await fc.assert(
      fc.asyncProperty(bookingsArb, async (bs) => {
        const s = scenario(bs);
        let prior = new Map();
        for (let m = 1; m <= 12; m++) {
          const period = `2026-${String(m).padStart(2, '0')}`;
          const r = await calculatePeriod({ period, ...s, fxRates: [], plans: GOLDEN_PLANS(), prior });
          for (const p of r.payees) {
            expect(p.payout.isNegative()).toBe(false);
            expect(p.lines.reduce((t, l) => t.plus(l.amount), ZERO).equals(p.payout)).toBe(true);
            expect(p.earnedToDate.minus(p.earnedBefore).equals(p.earned)).toBe(true);
            for (const l of p.lines) expect(l.amount.decimalPlaces()).toBeLessThanOrEqual(2);
          }
          prior = foldPrior(prior, r.payees);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('recalculating an unchanged period changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bookingsArb, fc.integer({ min: 1, max: 12 }), async (bs, m) => {
        const s = scenario(bs);
        const period = `2026-${String(m).padStart(2, '0')}`;
        const a = await calculatePeriod({ period, ...s, fxRates: [], plans: GOLDEN_PLANS(), prior: new Map() });
        const b = await calculatePeriod({ period, ...s, bookings: [...s.bookings].reverse(), fxRates: [], plans: GOLDEN_PLANS(), prior: new Map() });
        expect(JSON.stringify(b)).toEqual(JSON.stringify(a));
      }),
      { numRuns: 25 },
    );
  });

  const tiers = resolveTiers(
    [
      { from: '0', to: '0.5', rate: '0.5' },
      { from: '0.5', to: '1', rate: '1' },
      { from: '1', to: '1.5', rate: '1.5' },
      { from: '1.5', to: null, rate: '2' },
    ],
    new Decimal('1000000'),
    new Decimal('0.1'),
    false,
  );

  it('marginal tiers equal the sum of their bands, computed independently', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400_000_000 }), (cents) => {
        const y = new Decimal(cents).dividedBy(100);
        const bands = [
          [0, 500000, '0.05'],
          [500000, 1000000, '0.1'],
          [1000000, 1500000, '0.15'],
          [1500000, Infinity, '0.2'],
        ] as const;
        let expected = ZERO;
        for (const [lo, hi, rate] of bands) {
          const top = hi === Infinity ? y : Decimal.min(y, hi);
          if (top.greaterThan(lo)) expected = expected.plus(top.minus(lo).times(rate));
        }
        expect(marginal(tiers, y, null).amount.equals(expected)).toBe(true);
      }),
    );
  });

  it('retroactive tiers pay the highest reached rate × the whole credit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400_000_000 }), (cents) => {
        const y = new Decimal(cents).dividedBy(100);
        const rate = y.greaterThanOrEqualTo(1500000) ? '0.2' : y.greaterThanOrEqualTo(1000000) ? '0.15' : y.greaterThanOrEqualTo(500000) ? '0.1' : '0.05';
        const reached = reachedTier(tiers, y)!;
        expect(y.times(reached.rate).equals(y.times(rate))).toBe(true);
      }),
    );
  });
});

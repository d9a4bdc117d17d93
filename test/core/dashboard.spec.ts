import { Decimal } from '../../src/core/money/decimal';
import { earningsStanding, teamAttainment, WindowStanding } from '../../src/core/statements/dashboard';

const standing = (quota: string | null, credit: string): WindowStanding => ({
  component: 'c',
  window: '2026',
  windowStart: '2026-01-01',
  windowEnd: '2026-12-31',
  currency: 'USD',
  quota,
  credit,
  attainmentPct: null,
  pacePct: '0.00',
  tier: null,
  next: null,
});

describe('dashboard figures (pure)', () => {
  it("adds a team's credit and quota per currency, never across currencies, and leaves out members without a quota", () => {
    // USD: (600,000 + 70,000) / (1,200,000 + 100,000) = 51.538...% -> 51.54%; EUR: 60,000 / 50,000 = 120.00%
    expect(
      teamAttainment(
        [
          { currency: 'USD', standing: standing('1200000.00', '600000.00') },
          { currency: 'EUR', standing: standing('50000.00', '60000.00') },
          { currency: 'USD', standing: standing('100000.00', '70000.00') },
          { currency: 'USD', standing: null },
          { currency: 'JPY', standing: standing(null, '5000') },
        ],
        (c) => (c === 'JPY' ? 0 : 2),
      ),
    ).toEqual([
      { currency: 'EUR', quota: '50000.00', credit: '60000.00', attainmentPct: '120.00' },
      { currency: 'USD', quota: '1300000.00', credit: '670000.00', attainmentPct: '51.54' },
    ]);
  });

  it('prorates the target variable to the days of the year the assignment covers', () => {
    // hired 16 February: 319 of 365 days x 120,000 = 104,876.712... -> 104,876.71; earned 26,219.18 of it = 25.00%
    expect(earningsStanding(new Decimal('26219.18'), new Decimal('120000'), new Decimal('100000'), '2026', '2026-02-16', null, 2)).toEqual({
      earnedToDate: '26219.18',
      targetVariable: '120000.00',
      proratedTargetVariable: '104876.71',
      ote: '220000.00',
      pctOfTarget: '25.00',
    });
    // an assignment outside the year: no target this year, no percentage
    expect(earningsStanding(new Decimal('0'), new Decimal('120000'), new Decimal('0'), '2026', '2027-01-01', null, 2).pctOfTarget).toBeNull();
  });
});

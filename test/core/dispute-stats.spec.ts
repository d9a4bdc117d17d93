import { computeDisputeStats, DisputeFact, median, nearestRank } from '../../src/core/kpis/dispute-stats';
import { D } from '../support/core-builders';

const HOUR = 3_600_000;
const T0 = 1_000_000_000_000; // epoch ms; only differences matter

const dispute = (reasonCode: string, status: string, raisedAt: string | number, resolvedAt: string | number | null = null): DisputeFact => ({ reasonCode, status, raisedAt, resolvedAt });

const none = { count: 0, open: 0, inReview: 0, upheld: 0, rejected: 0, resolved: 0, statements: 8, perHundredStatements: '0.00', medianHoursToResolve: null, p90HoursToResolve: null, upheldShare: null };

describe('computeDisputeStats', () => {
  /*
   * Six disputes against 8 statements. Resolved ones and their time to resolve:
   *   #1 wrong_rate      upheld    00:00 → 10:00 the same day          = 10 h
   *   #2 wrong_rate      rejected  2 Mar 00:00 → 3 Mar 06:30           = 30.5 h
   *   #3 missing_credit  upheld    12:00 → 14:20 (given with a +02:00 offset) = 2 h 20 min = 2.3333… h
   *   #6 fx              rejected  epoch ms T0 → T0 + 4.5 h            = 4.5 h
   * sorted: 2.33…, 4.5, 10, 30.5 → median (4.5 + 10) / 2 = 7.25; p90 rank ⌈0.9 × 4⌉ = 4 → 30.5
   * upheld share 2 / 4 = 0.5; per 100 statements 6 × 100 / 8 = 75.
   */
  const disputes = [
    dispute('wrong_rate', 'upheld', '2026-03-01T00:00:00Z', '2026-03-01T10:00:00Z'),
    dispute('wrong_rate', 'rejected', '2026-03-02T00:00:00.000Z', '2026-03-03T06:30:00.000Z'),
    dispute('missing_credit', 'upheld', '2026-03-01T14:00:00+02:00', '2026-03-01T14:20:00Z'),
    dispute('missing_credit', 'open', '2026-03-04T00:00:00Z'),
    dispute('wrong_quota', 'in_review', '2026-03-04T00:00:00Z'),
    dispute('fx', 'rejected', T0, T0 + 4.5 * HOUR),
  ];
  const stats = computeDisputeStats(disputes, 8);

  it('overall: count, per 100 statements, median and p90 hours, upheld share', () => {
    const { byReason, ...overall } = stats;
    expect(overall).toEqual({
      count: 6,
      open: 1,
      inReview: 1,
      upheld: 2,
      rejected: 2,
      resolved: 4,
      statements: 8,
      perHundredStatements: '75.00',
      medianHoursToResolve: '7.25',
      p90HoursToResolve: '30.50',
      upheldShare: '0.5000',
    });
    expect(Object.keys(byReason)).toEqual(['missing_credit', 'wrong_split', 'wrong_rate', 'wrong_quota', 'fx', 'clawback', 'other']);
  });

  it('by reason code (every code, zeros included)', () => {
    expect(stats.byReason).toEqual({
      // 10 and 30.5 h: median 20.25, p90 rank ⌈1.8⌉ = 2 → 30.5; 1 of 2 upheld; 2 × 100 / 8 = 25
      wrong_rate: { ...none, count: 2, upheld: 1, rejected: 1, resolved: 2, perHundredStatements: '25.00', medianHoursToResolve: '20.25', p90HoursToResolve: '30.50', upheldShare: '0.5000' },
      // one resolved in 2.333… h, rounded to 2.33; one still open
      missing_credit: { ...none, count: 2, open: 1, upheld: 1, resolved: 1, perHundredStatements: '25.00', medianHoursToResolve: '2.33', p90HoursToResolve: '2.33', upheldShare: '1.0000' },
      wrong_quota: { ...none, count: 1, inReview: 1, perHundredStatements: '12.50' },
      fx: { ...none, count: 1, rejected: 1, resolved: 1, perHundredStatements: '12.50', medianHoursToResolve: '4.50', p90HoursToResolve: '4.50', upheldShare: '0.0000' },
      wrong_split: none,
      clawback: none,
      other: none,
    });
  });

  it('rounds hours once, half-up, from exact durations: 1 h 0 min 18 s = 1.005 h → 1.01', () => {
    const s = computeDisputeStats([dispute('other', 'rejected', T0, T0 + HOUR + 18_000)], 3);
    expect([s.medianHoursToResolve, s.p90HoursToResolve, s.perHundredStatements, s.upheldShare]).toEqual(['1.01', '1.01', '33.33', '0.0000']);
  });

  it('ten resolved disputes of 1..10 hours: median 5.50, p90 = the 9th (nearest rank ⌈0.9 × 10⌉ = 9); upheld 3 of 10', () => {
    const ten = Array.from({ length: 10 }, (_, i) => dispute('wrong_split', i < 3 ? 'upheld' : 'rejected', T0, T0 + (10 - i) * HOUR));
    const s = computeDisputeStats(ten, 40);
    expect([s.medianHoursToResolve, s.p90HoursToResolve, s.upheldShare, s.perHundredStatements]).toEqual(['5.50', '9.00', '0.3000', '25.00']);
  });

  it('upheld share keeps 4 decimals, half-up: 2 of 3 = 0.6667', () => {
    const s = computeDisputeStats([dispute('fx', 'upheld', T0, T0), dispute('fx', 'upheld', T0, T0), dispute('fx', 'rejected', T0, T0)], 0);
    expect([s.upheldShare, s.medianHoursToResolve, s.perHundredStatements]).toEqual(['0.6667', '0.00', null]);
  });

  it('no disputes, no statements: counts zero and every ratio null', () => {
    const { byReason, ...s } = computeDisputeStats([], 0);
    expect(s).toEqual({ ...none, statements: 0, perHundredStatements: null });
    expect(byReason.other).toEqual({ ...none, statements: 0, perHundredStatements: null });
  });

  it('refuses inconsistent facts', () => {
    expect(() => computeDisputeStats([dispute('fx', 'upheld', T0)], 1)).toThrow('needs resolvedAt');
    expect(() => computeDisputeStats([dispute('fx', 'open', T0, T0)], 1)).toThrow('has no resolvedAt');
    expect(() => computeDisputeStats([dispute('fx', 'rejected', T0, T0 - 1)], 1)).toThrow('resolved before it was raised');
    expect(() => computeDisputeStats([dispute('rate', 'open', T0)], 1)).toThrow('unknown reason code');
    expect(() => computeDisputeStats([dispute('fx', 'closed', T0)], 1)).toThrow('unknown dispute status');
    expect(() => computeDisputeStats([dispute('fx', 'rejected', 'yesterday', T0)], 1)).toThrow('not a time');
    expect(() => computeDisputeStats([], -1)).toThrow('non-negative integer');
  });
});

describe('nearest rank and median', () => {
  const thirty = Array.from({ length: 30 }, (_, i) => i + 1);
  it('p90 of 1..30 is the 27th value (0.9 × 30 computed without float error)', () => {
    expect(nearestRank(thirty, 90)).toBe(27);
    expect(nearestRank([5], 90)).toBe(5);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7], 90)).toBe(7); // ⌈6.3⌉ = 7
    expect(nearestRank([], 90)).toBeUndefined();
  });
  it('median: middle value, or the mean of the two middle values', () => {
    expect(median([D('1'), D('2'), D('7')])!.toFixed()).toBe('2');
    expect(median([D('1'), D('2'), D('7'), D('8')])!.toFixed()).toBe('4.5');
  });
});

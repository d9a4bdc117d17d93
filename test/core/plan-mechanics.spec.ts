import { PayeeResult } from '../../src/core/calculation/calculation-types';
import { describeLine, explainTrace } from '../../src/core/explain/line-words';
import { PlanDocument } from '../../src/core/plans/plan-types';
import { validatePlan } from '../../src/core/plans/validate-plan';
import { assignment, booking, D, lineView, planFacts, rep, runPeriods, summary, testPlanDocument } from '../support/core-builders';

/**
 * The plan mechanics of issue 15, each with figures worked by hand in the comments. One payee "A" (USD, hired
 * 2025), annual quota 1,200,000 and target variable 120,000 unless a test says otherwise.
 */

function valid(components: PlanDocument['components'], extra: Partial<PlanDocument> = {}) {
  const doc = testPlanDocument(components, extra);
  expect(validatePlan(doc)).toEqual([]);
  return planFacts(doc);
}

/** Runs January..`to` with bookings booked on the given days. */
async function run(p: ReturnType<typeof valid>, bookings: { amount: string; on: string; cancelled?: string; term?: number }[], to = '2026-01', o: { hireDate?: string; terminationDate?: string | null; quota?: string; variable?: string } = {}) {
  const hire = o.hireDate ?? '2025-01-01';
  return runPeriods(
    {
      reps: [rep('A', { hireDate: hire, terminationDate: o.terminationDate ?? null })],
      assignments: [assignment('A', 'test-plan', { quota: o.quota ?? '1200000', variable: o.variable ?? '120000', startDate: hire > '2026-01-01' ? hire : '2026-01-01' })],
      bookings: bookings.map((b, i) =>
        booking(`B${i + 1}`, { amount: b.amount, bookedDate: b.on, cancelledDate: b.cancelled ?? null, termMonths: b.term ?? 12, credits: [['A', '100']] }),
      ),
      plans: [p],
    },
    '2026-01',
    to,
  );
}

const at = (res: Map<string, Map<string, PayeeResult>>, period: string) => res.get(period)!.get('A')!;

describe('payout curves (issue 15, mechanic 3)', () => {
  const curve = (interpolation: 'linear' | 'stepped') =>
    valid([
      {
        id: 'curve',
        type: 'curve',
        label: 'Quarterly payout curve',
        measure: 'quota',
        window: 'quarter',
        quota: { allocation: 'window', ramp: false },
        interpolation,
        points: [
          { attainment: '0.5', payoutPct: '25', label: 'threshold' },
          { attainment: '1', payoutPct: '100', label: 'target' },
          { attainment: '1.5', payoutPct: '200', label: 'excellence' },
        ],
      },
    ]);

  // Q1 quota = 1,200,000 × 3/12 = 300,000; Q1 target variable = 120,000 × 3/12 = 30,000.
  it('linear: 250,000 of 300,000 is 2/3 of the way from 50% to 100%, so 25 + 75 × 2/3 = 75% of 30,000 = 22,500, shared by credit', async () => {
    const r = at(await run(curve('linear'), [{ amount: '100000', on: '2026-01-10' }, { amount: '150000', on: '2026-01-20' }]), '2026-01');
    expect(summary(r)!.earned).toBe('22500.00');
    // shares by credit: 22,500 × 100/250 = 9,000 and 22,500 × 150/250 = 13,500
    expect(lineView(r)).toEqual([
      ['commission', 'B1', '9000.00'],
      ['commission', 'B2', '13500.00'],
    ]);
    expect(explainTrace(r.lines[0].trace, 'USD')).toContain(
      'window attainment 83.3333% (250,000.00 USD of 300,000.00 USD), between point 1 (threshold) and point 2 (target) (linear); the window pays 75% of target variable 30,000.00 USD = 22,500.00 USD, shared by credit',
    );
  });

  it('boundaries: exactly the threshold pays its 25% (7,500); a cent below pays nothing; beyond the last point the 200% holds (60,000)', async () => {
    expect(summary(at(await run(curve('linear'), [{ amount: '150000', on: '2026-01-10' }]), '2026-01'))!.earned).toBe('7500.00');
    expect(summary(at(await run(curve('linear'), [{ amount: '149999.99', on: '2026-01-10' }]), '2026-01'))!.earned).toBe('0.00');
    expect(summary(at(await run(curve('linear'), [{ amount: '600000', on: '2026-01-10' }]), '2026-01'))!.earned).toBe('60000.00');
  });

  it('stepped: 250,000 pays the threshold point only (25% = 7,500); 300,000 pays the target point (30,000)', async () => {
    expect(summary(at(await run(curve('stepped'), [{ amount: '250000', on: '2026-01-10' }]), '2026-01'))!.earned).toBe('7500.00');
    expect(summary(at(await run(curve('stepped'), [{ amount: '300000', on: '2026-01-10' }]), '2026-01'))!.earned).toBe('30000.00');
  });

  it('a bonus ladder pays a fixed amount per tier reached: 1,000 at 100%, 1,500 in all at 120%', async () => {
    const ladder = valid([
      {
        id: 'ladder',
        type: 'curve',
        measure: 'quota',
        window: 'quarter',
        quota: { allocation: 'window', ramp: false },
        interpolation: 'stepped',
        points: [
          { attainment: '1', amount: '1000' },
          { attainment: '1.2', amount: '1500' },
        ],
      },
    ]);
    const earned = async (amount: string) => summary(at(await run(ladder, [{ amount, on: '2026-02-03' }], '2026-02'), '2026-02'))!.earned;
    expect(await earned('299999.99')).toBe('0.00');
    expect(await earned('300000')).toBe('1000.00'); // boundary: exactly 100%
    expect(await earned('359999.99')).toBe('1000.00');
    expect(await earned('360000')).toBe('1500.00'); // 120% of 300,000
  });

  it('validation names the path: points out of order, a point with both payouts, a mix of kinds', () => {
    const doc = testPlanDocument([
      {
        id: 'c',
        type: 'curve',
        measure: 'quota',
        window: 'year',
        quota: { allocation: 'window', ramp: false },
        interpolation: 'linear',
        points: [
          { attainment: '1', payoutPct: '100' },
          { attainment: '0.5', amount: '100' },
          { attainment: '2', payoutPct: '1', amount: '2' },
        ],
      },
    ]);
    expect(validatePlan(doc)).toEqual([
      { path: 'components[0].points[2]', message: 'needs exactly one of payoutPct (a % of target variable) or amount (a fixed payout)' },
      { path: 'components[0].points', message: 'every point pays either payoutPct or amount, not a mix' },
      { path: 'components[0].points[1].attainment', message: "must be greater than the previous point's attainment (1)" },
    ]);
  });
});

describe('seasonal quota (issue 15, mechanic 6)', () => {
  const seasonal = (seasonality: PlanDocument['seasonality'], allocation: 'monthly' | 'window' = 'monthly', ramp = false) =>
    valid(
      [
        {
          id: 'q',
          type: 'tiered',
          measure: 'quota',
          window: 'quarter',
          measurement: 'cumulative',
          method: 'retroactive',
          tierBasis: 'attainment',
          rateUnit: 'absolute',
          quota: { allocation, ramp },
          tiers: [{ from: '0', to: null, rate: '0.1' }],
          gate: '1',
        },
      ],
      { seasonality, ...(ramp ? { ramp: { byTenureMonth: ['0.5'], thereafter: '1' } } : {}) },
    );

  it('20/25/25/30 by quarter: Q1 quota is 1,200,000 × 20% = 240,000 (not 300,000), so 240,000 meets the 100% gate and pays 10% = 24,000', async () => {
    const p = seasonal({ byQuarter: ['0.20', '0.25', '0.25', '0.30'] });
    const r = at(await run(p, [{ amount: '240000', on: '2026-01-10' }]), '2026-01');
    expect(r.windows[0].quota).toBe('240000');
    expect(summary(r)!.earned).toBe('24000.00');
    // a cent below the seasonal quota misses the gate
    expect(summary(at(await run(p, [{ amount: '239999.99', on: '2026-01-10' }]), '2026-01'))!.earned).toBe('0.00');
    // Q4 is 30%: 360,000
    const q4 = at(await run(p, [{ amount: '1', on: '2026-10-01' }], '2026-10'), '2026-10');
    expect(q4.windows.find((w) => w.window === '2026-Q4')!.quota).toBe('360000');
  });

  it('by month, ramped and prorated: a hire on 16 Jan (ramp 50%) gets 1,200,000 × 6% × 50% × 16/31 of January and 1,200,000 × 9% of February', async () => {
    const months = ['0.06', '0.09', '0.10', '0.07', '0.08', '0.08', '0.07', '0.07', '0.08', '0.09', '0.10', '0.11'];
    const p = seasonal({ byMonth: months }, 'monthly', true);
    const r = at(await run(p, [{ amount: '1', on: '2026-02-01' }], '2026-02', { hireDate: '2026-01-16' }), '2026-02');
    // January: 72,000 × 0.5 × 16/31 = 18,580.645161...; February (tenure month 2, ramp 1): 108,000. Q1 so far counts all three months:
    // March: 120,000. Σ = 246,580.645161290322580645161290322580645...
    const q = r.windows[0];
    expect(q.trace.quota!.steps.map((s) => [s.month, s.weight, s.ramp, s.activeDays, s.quota])).toEqual([
      ['2026-01', '0.06', '0.5', 16, '18580.64516129032258064516129032258064516'],
      ['2026-02', '0.09', '1', 28, '108000'],
      ['2026-03', '0.1', '1', 31, '120000'],
    ]);
  });

  it('window allocation sums the weights of the window\'s months', async () => {
    const p = seasonal({ byMonth: ['0.06', '0.09', '0.10', '0.07', '0.08', '0.08', '0.07', '0.07', '0.08', '0.09', '0.10', '0.11'] }, 'window');
    const r = at(await run(p, [{ amount: '1', on: '2026-01-10' }]), '2026-01');
    expect(r.windows[0].quota).toBe('300000'); // (0.06 + 0.09 + 0.10) × 1,200,000
  });

  it('weights must sum to exactly 1 and have the right count', () => {
    expect(validatePlan(testPlanDocument([{ id: 'f', type: 'flatRate', measure: 'quota', window: 'month', rate: '0.1' }], { seasonality: { byQuarter: ['0.2', '0.25', '0.25', '0.29'] } }))).toEqual([
      { path: 'seasonality.byQuarter', message: 'weights must sum to exactly 1 (they sum to 0.99)' },
    ]);
    expect(validatePlan(testPlanDocument([{ id: 'f', type: 'flatRate', measure: 'quota', window: 'month', rate: '0.1' }], { seasonality: { byQuarter: ['0.5', '0.5'] } }))[0]).toEqual({
      path: 'seasonality.byQuarter',
      message: 'must NOT have fewer than 4 items',
    });
  });
});

describe('draw schedules (issue 15, mechanic 8)', () => {
  const flat = { id: 'flat', type: 'flatRate' as const, measure: 'quota', window: 'month' as const, rate: '0.1' };
  const draw = (extra: Partial<NonNullable<PlanDocument['draw']>> = {}) =>
    valid([flat], { draw: { kind: 'recoverable', schedule: ['3000', '2000', '1000'], tenureMonths: { from: 1, to: 3 }, ...extra } });
  const months = (res: Map<string, Map<string, PayeeResult>>) => ['2026-01', '2026-02', '2026-03', '2026-04'].map((m) => [m, summary(at(res, m))!.payout, summary(at(res, m))!.balance]);

  it('a declining guarantee 3,000 / 2,000 / 1,000, recovered from the start: the balance grows to 5,000 and April earnings of 8,000 pay it back', async () => {
    // Jan: x = 0 → 3,000, b 3,000 · Feb: earned 1,000, x = 1,000 − 3,000 = −2,000 → 2,000, b = 2,000 + 2,000 = 4,000
    // Mar: x = −4,000 → 1,000, b 5,000 · Apr (no draw): earned 8,000, x = 3,000 → 3,000, b 0
    const res = await run(draw(), [{ amount: '10000', on: '2026-02-10' }, { amount: '80000', on: '2026-04-10' }], '2026-04', { hireDate: '2026-01-01' });
    expect(months(res)).toEqual([
      ['2026-01', '3000.00', '3000.00'],
      ['2026-02', '2000.00', '4000.00'],
      ['2026-03', '1000.00', '5000.00'],
      ['2026-04', '3000.00', '0.00'],
    ]);
    expect(lineView(at(res, '2026-02'))).toEqual([
      ['commission', 'B1', '1000.00'],
      ['balance_recovery', null, '-3000.00'],
      ['draw', null, '2000.00'],
      ['negative_carried_forward', null, '2000.00'],
    ]);
    expect(explainTrace(at(res, '2026-02').lines[2].trace, 'USD')).toBe('recoverable draw 2000 (tenure month 2)');
  });

  it('recovery deferred to tenure month 4: February keeps its 5,000 earned above the 2,000 guarantee; tenure month 3 still defers, month 4 recovers', async () => {
    // Jan: 3,000, b 3,000 · Feb: x = 5,000 (no recovery) → 5,000, b = 3,000 + 5,000 − 5,000 = 3,000
    // Mar (month 3, still deferred): x = 0 → 1,000, b = 3,000 + 1,000 = 4,000 · Apr (month 4): x = 0 − 4,000 → 0, b 4,000
    const res = await run(draw({ recovery: { fromTenureMonth: 4 } }), [{ amount: '50000', on: '2026-02-10' }], '2026-04', { hireDate: '2026-01-01' });
    expect(months(res)).toEqual([
      ['2026-01', '3000.00', '3000.00'],
      ['2026-02', '5000.00', '3000.00'],
      ['2026-03', '1000.00', '4000.00'],
      ['2026-04', '0.00', '4000.00'],
    ]);
    expect(lineView(at(res, '2026-02'))).toEqual([['commission', 'B1', '5000.00']]);
    expect(lineView(at(res, '2026-04'))).toEqual([
      ['balance_recovery', null, '-4000.00'],
      ['negative_carried_forward', null, '4000.00'],
    ]);
    // without the deferral February would have paid max(5,000 − 3,000, 2,000) = 2,000 and owed nothing
    const plain = await run(draw(), [{ amount: '50000', on: '2026-02-10' }], '2026-02', { hireDate: '2026-01-01' });
    expect(summary(at(plain, '2026-02'))).toMatchObject({ payout: '2000.00', balance: '0.00' });
    const { describeLine } = await import('../../src/core/explain/line-words');
    expect(describeLine({ ...at(res, '2026-03').lines[0], originPeriod: null }, 'USD')).toBe(
      'recoverable draw: guaranteed 1,000.00 USD for tenure month 3 (by the draw schedule); earnings pay it back from tenure month 4',
    );
  });

  it('validation: one amount per tenure month, amount or schedule, recovery only for recoverable draws', () => {
    const doc = (d: object) => testPlanDocument([flat], { draw: d as PlanDocument['draw'] });
    expect(validatePlan(doc({ kind: 'recoverable', schedule: ['3000', '2000'], tenureMonths: { from: 1, to: 3 } }))).toEqual([
      { path: 'draw.schedule', message: 'needs one amount per tenure month 1..3 (3), has 2' },
    ]);
    expect(validatePlan(doc({ kind: 'recoverable', amount: '1', schedule: ['1'], tenureMonths: { from: 1, to: 1 } }))).toEqual([
      { path: 'draw', message: 'needs exactly one of amount (the same every month) or schedule (by tenure month)' },
    ]);
    expect(validatePlan(doc({ kind: 'nonRecoverable', amount: '1', tenureMonths: { from: 1, to: 1 }, recovery: { fromTenureMonth: 2 } }))).toEqual([
      { path: 'draw.recovery', message: 'only applies to a recoverable draw' },
    ]);
  });
});

describe('clawback policies and holdbacks (issue 15, mechanic 1)', () => {
  const flat = { id: 'flat', type: 'flatRate' as const, label: 'Commission 10%', measure: 'quota', window: 'year' as const, rate: '0.1' };
  const policy = (clawback: NonNullable<PlanDocument['clawback']>) => valid([flat], { clawback });
  /** The earning lines (a negative month carries its net forward as balance owed, recovered later: asserted once below). */
  const lines = (res: Map<string, Map<string, PayeeResult>>, m: string) => lineView(at(res, m)).filter(([kind]) => kind !== 'negative_carried_forward' && kind !== 'balance_recovery');

  it('a 50% clawback within 90 days takes back half of the 10,000 commission; day 90 is inside, day 91 is not', async () => {
    const p = policy({ windowDays: 90, percent: '50' });
    const feb = await run(p, [{ amount: '100000', on: '2026-01-10', cancelled: '2026-02-20' }], '2026-02');
    expect(lines(feb, '2026-01')).toEqual([['commission', 'B1', '10000.00']]);
    expect(lineView(at(feb, '2026-02'))).toEqual([
      ['clawback', 'B1', '-5000.00'],
      ['negative_carried_forward', null, '5000.00'],
    ]);
    expect(summary(at(feb, '2026-02'))).toMatchObject({ payout: '0.00', balance: '5000.00' });
    expect(at(feb, '2026-02').lines[0].cause).toBe('cancellation');
    const { describeLine } = await import('../../src/core/explain/line-words');
    expect(describeLine({ ...at(feb, '2026-02').lines[0] }, 'USD')).toBe(
      'clawback: booking B1: booking cancelled 2026-02-20, 41 days after booking; 50% of its credit clawed back, 50% still counts (Commission 10%)',
    );
    // 10 Jan + 90 days = 10 Apr (inside); 11 Apr is day 91 (outside)
    expect(lines(await run(p, [{ amount: '100000', on: '2026-01-10', cancelled: '2026-04-10' }], '2026-04'), '2026-04')).toEqual([['clawback', 'B1', '-5000.00']]);
    expect(lines(await run(p, [{ amount: '100000', on: '2026-01-10', cancelled: '2026-04-11' }], '2026-04'), '2026-04')).toEqual([]);
  });

  it('prorated by the unserved term: cancelled after 4 of 12 months takes back 8/12; a day short of the 4th month, 9/12', async () => {
    const p = policy({ windowDays: 365, prorate: 'unservedTerm' });
    // 15 Jan → 20 May: 4 whole months served, 8/12 back: 10,000 × 8/12 = 6,666.666… → −6,666.67
    expect(lines(await run(p, [{ amount: '100000', on: '2026-01-15', cancelled: '2026-05-20' }], '2026-05'), '2026-05')).toEqual([['clawback', 'B1', '-6666.67']]);
    // 15 Jan → 14 May: 3 whole months, 9/12 back: −7,500
    expect(lines(await run(p, [{ amount: '100000', on: '2026-01-15', cancelled: '2026-05-14' }], '2026-05'), '2026-05')).toEqual([['clawback', 'B1', '-7500.00']]);
    // 15 Jan → 15 May: exactly 4 months
    const may = await run(p, [{ amount: '100000', on: '2026-01-15', cancelled: '2026-05-15' }], '2026-05');
    expect(explainTrace(at(may, '2026-05').lines[0].trace, 'USD')).toContain('100% x 8/12 of the term unserved of its credit clawed back, 33.3333% still counts');
  });

  it('a schedule by days since booking: 100% within 90 days, 50% within 180, nothing after', async () => {
    const p = policy({ schedule: [{ withinDays: 90, percent: '100' }, { withinDays: 180, percent: '50' }] });
    const claw = async (cancelled: string, to: string) => lines(await run(p, [{ amount: '100000', on: '2026-01-10', cancelled }], to), to);
    expect(await claw('2026-04-10', '2026-04')).toEqual([['clawback', 'B1', '-10000.00']]); // day 90
    expect(await claw('2026-04-11', '2026-04')).toEqual([['clawback', 'B1', '-5000.00']]); // day 91
    expect(await claw('2026-07-09', '2026-07')).toEqual([['clawback', 'B1', '-5000.00']]); // day 180
    expect(await claw('2026-07-10', '2026-07')).toEqual([]); // day 181
  });

  it("the payee's termination within 30 days of a booking claws it back on the termination date; an older booking stays", async () => {
    const p = policy({ windowDays: 90, onTermination: { withinDays: 30 } });
    // left 15 Feb: B1 (10 Jan) is 36 days old and stays; B2 (20 Jan) is 26 days old and is clawed back
    const res = await run(p, [{ amount: '100000', on: '2026-01-10' }, { amount: '50000', on: '2026-01-20' }], '2026-02', { hireDate: '2025-01-01', terminationDate: '2026-02-15' });
    expect(lines(res, '2026-01')).toEqual([
      ['commission', 'B1', '10000.00'],
      ['commission', 'B2', '5000.00'],
    ]);
    expect(lines(res, '2026-02')).toEqual([['clawback', 'B2', '-5000.00']]);
    const { describeLine } = await import('../../src/core/explain/line-words');
    expect(describeLine({ ...at(res, '2026-02').lines[0] }, 'USD')).toBe(
      'clawback: booking B2: the payee left on 2026-02-15, 26 days after booking; 100% of its credit clawed back, 0% still counts (Commission 10%)',
    );
  });

  it('a 25% holdback is released the day after the 90-day window; a booking cancelled inside it claws back only what was paid (7,500, not 10,000)', async () => {
    const p = policy({ windowDays: 90, holdback: { percent: '25' } });
    const res = await run(p, [{ amount: '100000', on: '2026-01-10' }, { amount: '100000', on: '2026-01-20', cancelled: '2026-03-01' }], '2026-05');
    // January: each booking earns 10,000, of which 2,500 is held
    expect(lines(res, '2026-01')).toEqual([
      ['commission', 'B1', '7500.00'],
      ['commission', 'B2', '7500.00'],
    ]);
    expect(explainTrace(at(res, '2026-01').lines[0].trace, 'USD')).toContain('25% held back (2,500.00 USD) until 2026-04-11');
    expect(lines(res, '2026-02')).toEqual([]);
    // B2 cancelled 1 Mar (40 days): the clawback takes back the 7,500 paid; its held 2,500 is never released
    expect(lines(res, '2026-03')).toEqual([['clawback', 'B2', '-7500.00']]);
    // B1's window closes 10 Apr (day 90); its 2,500 is released on 11 Apr, in April's payout
    expect(lines(res, '2026-04')).toEqual([['commission', 'B1', '2500.00']]);
    expect(explainTrace(at(res, '2026-04').lines[0].trace, 'USD')).toContain('25% holdback released on 2026-04-11');
    expect(lines(res, '2026-05')).toEqual([]);
    expect(at(res, '2026-05').earnedToDate.toFixed(2)).toBe('10000.00');
    // paid 15,000 in January, owed 7,500 after March; April's release pays 2,500 of it back
    expect(['2026-01', '2026-03', '2026-04'].map((m) => [summary(at(res, m))!.payout, summary(at(res, m))!.balance])).toEqual([
      ['15000.00', '0.00'],
      ['0.00', '7500.00'],
      ['0.00', '5000.00'],
    ]);
  });

  it('validation: windowDays or schedule, ascending schedule, percentages within 0..100', () => {
    const doc = (c: object) => testPlanDocument([flat], { clawback: c as PlanDocument['clawback'] });
    expect(validatePlan(doc({ windowDays: 90, schedule: [{ withinDays: 90, percent: '100' }] }))).toEqual([
      { path: 'clawback', message: 'needs exactly one of windowDays (one percentage) or schedule (percentages by days since booking)' },
    ]);
    expect(validatePlan(doc({ schedule: [{ withinDays: 90, percent: '100' }, { withinDays: 90, percent: '150' }] }))).toEqual([
      { path: 'clawback.schedule[1].percent', message: 'must be a percentage from 0 to 100' },
      { path: 'clawback.schedule[1].withinDays', message: "must be greater than the previous entry's (90)" },
    ]);
  });
});

describe('cross-window conditions and modifiers (issue 15, mechanic 5)', () => {
  const annual = { window: 'year' as const, quota: { allocation: 'monthly' as const, ramp: false } };

  it('a quarterly accelerator paid only while the annual quota is on pace: on pace at the end of January, not at the end of March', async () => {
    const p = valid([{ id: 'accelerator', type: 'flatRate', label: 'Q accelerator 5%', measure: 'quota', window: 'quarter', rate: '0.05', requires: { ...annual, onPace: true } }]);
    // pace at 31 Mar: 90/365 of 1,200,000 = 295,890.410958…; at 31 Jan: 31/365 → 101,917.81
    const short = await run(p, [{ amount: '295890.41', on: '2026-01-10' }], '2026-03');
    expect(lineView(at(short, '2026-01'))).toEqual([['commission', 'B1', '14794.52']]); // 295,890.41 × 5% = 14,794.5205
    expect(lineView(at(short, '2026-02'))).toEqual([]);
    expect(lineView(at(short, '2026-03')).filter(([k]) => k === 'commission')).toEqual([['commission', 'B1', '-14794.52']]);
    expect(explainTrace(at(short, '2026-03').lines[0].trace, 'USD')).toContain(
      'requires 2026 on pace (24.6575% of the window elapsed): 295,890.41 USD of 1,200,000.00 USD (24.6575%), needs 295,890.41 USD: not met, pays nothing',
    );
    // a cent more is on pace at the quarter's end, and the Q1 figure stays once the quarter has closed
    const enough = await run(p, [{ amount: '295890.42', on: '2026-01-10' }], '2026-05');
    expect(['2026-01', '2026-03', '2026-04', '2026-05'].map((m) => lineView(at(enough, m)))).toEqual([[['commission', 'B1', '14794.52']], [], [], []]);
  });

  it('a kicker pays 10% (25% of the annual quota) or 20% (50%) on top of each quarter’s commission', async () => {
    const p = valid([
      { id: 'base', type: 'flatRate', label: 'Quarterly 10%', measure: 'quota', window: 'quarter', rate: '0.1' },
      {
        id: 'kicker',
        type: 'modifier',
        label: 'Annual kicker',
        of: 'base',
        window: 'quarter',
        basis: annual,
        steps: [
          { attainment: '0.25', factor: '0.1', label: 'quarter of the year' },
          { attainment: '0.5', factor: '0.2', label: 'half of the year' },
        ],
      },
    ]);
    const res = await run(
      p,
      [
        { amount: '200000', on: '2026-01-10' },
        { amount: '100000', on: '2026-02-10' },
        { amount: '300000', on: '2026-04-10' },
      ],
      '2026-04',
    );
    // January: 200,000 of 1,200,000 = 16.67%: no step
    expect(lineView(at(res, '2026-01'))).toEqual([['commission', 'B1', '20000.00']]);
    // February: 300,000 = exactly 25%: 10% of the Q1 commission (B1 20,000, B2 10,000)
    expect(lineView(at(res, '2026-02'))).toEqual([
      ['commission', 'B2', '10000.00'],
      ['commission', 'B1', '2000.00'],
      ['commission', 'B2', '1000.00'],
    ]);
    // April: 600,000 = 50%: Q2's kicker is 20% of 30,000; Q1's stays at 10% (its basis stopped at its end)
    expect(lineView(at(res, '2026-04'))).toEqual([
      ['commission', 'B3', '30000.00'],
      ['commission', 'B3', '6000.00'],
    ]);
    const kick = at(res, '2026-04').lines[1];
    expect(explainTrace(kick.trace, 'USD')).toContain('base share 30,000.00 USD x 0.2: 2026 attainment 50% (600,000.00 USD of 1,200,000.00 USD) reached step 2 (half of the year)');
  });

  it('validation: the modified component must exist, not be a modifier, and share its window', () => {
    const doc = testPlanDocument([
      { id: 'base', type: 'flatRate', measure: 'quota', window: 'quarter', rate: '0.1' },
      { id: 'k1', type: 'modifier', of: 'nope', window: 'quarter', basis: annual, steps: [{ attainment: '1', factor: '0.1' }] },
      { id: 'k2', type: 'modifier', of: 'base', window: 'year', basis: annual, steps: [{ attainment: '1', factor: '0.1' }] },
      { id: 'k3', type: 'modifier', of: 'k1', window: 'quarter', basis: { ...annual, measure: 'nothing' }, steps: [{ attainment: '1', factor: '0.1' }, { attainment: '0.5', factor: '0.2' }] },
    ]);
    expect(validatePlan(doc)).toEqual([
      { path: 'components[1].of', message: 'no component "nope" in this plan' },
      { path: 'components[2].window', message: 'must be the window of "base" (quarter)' },
      { path: 'components[3].of', message: 'a modifier multiplies a component that is not itself a modifier' },
      { path: 'components[3].basis.measure', message: 'no crediting rule produces measure "nothing"' },
      { path: 'components[3].steps[1].attainment', message: "must be greater than the previous step's attainment (1)" },
    ]);
  });
});

describe('team mechanics (issue 15, mechanic 10)', () => {
  // M manages A and B; A manages C. A and B are one team (manager M); C is a team of one (manager A).
  const reps = [rep('M'), rep('A', { managerId: 'M' }), rep('B', { managerId: 'M' }), rep('C', { managerId: 'A' })];
  const bookings = [
    booking('A1', { amount: '300000', bookedDate: '2026-01-10', credits: [['A', '100']] }),
    booking('B1', { amount: '250000', bookedDate: '2026-02-05', credits: [['B', '100']] }),
    booking('C1', { amount: '100000', bookedDate: '2026-02-20', credits: [['C', '100']] }),
  ];
  const own = { id: 'own', measure: 'quota', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'in', value: ['new', 'renewal', 'expansion'] }] } };
  const repPlan = (division: 'equal' | 'contribution') => {
    const doc = testPlanDocument(
      [
        {
          id: 'team-rate',
          type: 'tiered',
          label: 'Rate on the team total',
          measure: 'quota',
          lookupMeasure: 'team',
          window: 'quarter',
          measurement: 'cumulative',
          method: 'retroactive',
          tierBasis: 'amount',
          rateUnit: 'absolute',
          tiers: [
            { from: '0', to: '500000', rate: '0.05' },
            { from: '500000', to: null, rate: '0.08' },
          ],
        },
        { id: 'pool', type: 'teamPool', label: 'Team pool', measure: 'team', window: 'quarter', teamQuota: '400000', rate: '0.02', division },
      ],
      { id: 'rep-plan', crediting: { base: 'acv', rules: [own, { ...own, id: 'team', measure: 'team', from: 'team' }] } },
    );
    expect(validatePlan(doc)).toEqual([]);
    return planFacts(doc);
  };
  const mgrPlan = () => {
    const doc = testPlanDocument(
      [
        {
          id: 'direct-tiers',
          type: 'tiered',
          label: 'Team override (gated, tiered)',
          measure: 'direct',
          window: 'quarter',
          measurement: 'cumulative',
          method: 'marginal',
          tierBasis: 'amount',
          rateUnit: 'absolute',
          gate: '300000',
          tiers: [
            { from: '0', to: '600000', rate: '0.01' },
            { from: '600000', to: null, rate: '0.02' },
          ],
        },
        { id: 'tree', type: 'override', label: 'Tree override 0.5%', source: 'reportingTree', window: 'quarter', rate: '0.005' },
      ],
      { id: 'mgr-plan', crediting: { base: 'acv', rules: [{ ...own, id: 'direct', measure: 'direct', from: 'directReports' }] } },
    );
    expect(validatePlan(doc)).toEqual([]);
    return planFacts(doc);
  };
  const year = async (division: 'equal' | 'contribution') =>
    runPeriods(
      {
        reps,
        assignments: [assignment('M', 'mgr-plan'), ...['A', 'B', 'C'].map((id) => assignment(id, 'rep-plan'))],
        bookings,
        plans: [repPlan(division), mgrPlan()],
      },
      '2026-01',
      '2026-02',
    );
  const of = (res: Map<string, Map<string, PayeeResult>>, m: string, id: string) => res.get(m)!.get(id)!;

  it("an individual rate looked up on the team's total: A's 300,000 pays 5% while the team has 300,000, 8% once B's 250,000 lifts it past 500,000", async () => {
    const res = await year('equal');
    const rate = (m: string, id: string) => of(res, m, id).lines.filter((l) => l.componentKey?.includes(':team-rate:')).map((l) => [l.ref, l.amount.toFixed(2)]);
    expect(rate('2026-01', 'A')).toEqual([['A1', '15000.00']]); // 300,000 × 5%
    expect(rate('2026-02', 'A')).toEqual([['A1', '9000.00']]); // 300,000 × 8% = 24,000
    expect(rate('2026-02', 'B')).toEqual([['B1', '20000.00']]); // 250,000 × 8%
    expect(rate('2026-02', 'C')).toEqual([['C1', '5000.00']]); // C's team is C alone: 100,000 × 5%
    expect(explainTrace(of(res, '2026-02', 'A').lines[0].trace, 'USD')).toContain(
      'tier 2 (tier 2) at 8%; tier looked up on team credit 550,000.00 USD; moved because the team credit its tier is looked up on changed: was tier 1 (tier 1) at 5%, now tier 2 (tier 2) at 8%',
    );
  });

  it('a team pool funded above the team quota: 2% × (550,000 − 400,000) = 3,000, split equally (1,500 each) or by contribution', async () => {
    const pool = (res: Map<string, Map<string, PayeeResult>>, id: string) => of(res, '2026-02', id).lines.filter((l) => l.componentKey?.includes(':pool:')).map((l) => [l.ref, l.amount.toFixed(2)]);
    const equal = await year('equal');
    // A's 1,500 is attributed by credit: A1 300/550 = 818.18, B1 250/550 = 681.82
    expect(pool(equal, 'A')).toEqual([
      ['A1/A', '818.18'],
      ['B1/B', '681.82'],
    ]);
    expect(pool(equal, 'B').map(([, a]) => a)).toEqual(['818.18', '681.82']);
    expect(pool(equal, 'C')).toEqual([]); // 100,000 is below the 400,000 team quota
    expect(explainTrace(of(equal, '2026-02', 'A').lines.find((l) => l.ref === 'B1/B')!.trace, 'USD')).toContain(
      'credited to B; rule team; ACV 250,000.00 USD; split 100%; credit 100%; credit 250,000.00 USD; team pool 2% of team credit 550,000.00 USD above the team quota 400,000.00 USD = 3,000.00 USD, divided equally among 2 members: share 1,500.00 USD, by credit',
    );
    // by contribution: A 3,000 × 300/550 = 1,636.36…, B 3,000 × 250/550 = 1,363.63…
    const byShare = await year('contribution');
    expect(of(byShare, '2026-02', 'A').windows.find((w) => w.componentId === 'pool')!.commission).toBe('1636.36');
    expect(of(byShare, '2026-02', 'B').windows.find((w) => w.componentId === 'pool')!.commission).toBe('1363.64');
    // January: team credit 300,000 is below the quota, nothing is funded
    expect(of(byShare, '2026-01', 'A').windows.find((w) => w.componentId === 'pool')!.commission).toBe('0.00');
  });

  it("a manager's gated, tiered override on the direct team's total, and an override over the whole reporting tree", async () => {
    const res = await year('equal');
    const m = (month: string) => of(res, month, 'M').lines.map((l) => [l.componentKey!.split(':')[1], l.ref, l.amount.toFixed(2)]);
    // January: direct team 300,000 meets the 300,000 gate exactly: 1% = 3,000; the tree override 0.5% of A1 = 1,500
    expect(m('2026-01')).toEqual([
      ['direct-tiers', 'A1', '3000.00'],
      ['tree', 'A1/A', '1500.00'],
    ]);
    // February: direct team 550,000: B1 adds 2,500; the tree adds B's 250,000 and C's (indirect) 100,000 at 0.5%
    expect(m('2026-02')).toEqual([
      ['direct-tiers', 'B1', '2500.00'],
      ['tree', 'B1/B', '1250.00'],
      ['tree', 'C1/C', '500.00'],
    ]);
  });

  it('validation: a pool reads a team measure; a lookup needs retroactive cumulative amount tiers', () => {
    const doc = testPlanDocument([
      { id: 'pool', type: 'teamPool', measure: 'quota', window: 'quarter', teamQuota: '1', rate: '0.1', division: 'equal' },
      { id: 't', type: 'tiered', measure: 'quota', lookupMeasure: 'quota', window: 'year', measurement: 'cumulative', method: 'marginal', tierBasis: 'amount', rateUnit: 'absolute', tiers: [{ from: '0', to: null, rate: '0.1' }] },
    ]);
    expect(validatePlan(doc)).toEqual([
      { path: 'components[0].measure', message: '"quota" is not credited from the team: give its crediting rule "from": "team"' },
      { path: 'components[1].lookupMeasure', message: 'needs method "retroactive", measurement "cumulative" and tierBasis "amount"' },
    ]);
  });
});

describe('contract shapes and rate precedence (issue 15, mechanic 11)', () => {
  it('annualized base: a one-month contract of 1,000 MRR is 12,000 ACV (the acv base would count 1,000); a 24-month 48,000 contract is 24,000', async () => {
    const flat = { id: 'flat', type: 'flatRate' as const, measure: 'quota', window: 'year' as const, rate: '0.1' };
    const annualized = valid([flat], { crediting: { ...testPlanDocument([]).crediting, base: 'annualized' } });
    const acv = valid([flat]);
    const monthly = [{ amount: '1000', on: '2026-01-10', term: 1 }];
    expect(summary(at(await run(annualized, monthly), '2026-01'))!.earned).toBe('1200.00'); // 1,000 × 12 / 1 × 10%
    expect(summary(at(await run(acv, monthly), '2026-01'))!.earned).toBe('100.00');
    expect(summary(at(await run(annualized, [{ amount: '48000', on: '2026-01-10', term: 24 }]), '2026-01'))!.earned).toBe('2400.00');
    // 7 months of 7,000: 12,000 a year
    expect(summary(at(await run(annualized, [{ amount: '7000', on: '2026-01-10', term: 7 }]), '2026-01'))!.earned).toBe('1200.00');
  });

  it('rate precedence: a product override (priority 10) beats a type override (priority 1), which beats the default rate', async () => {
    const p = valid([
      {
        id: 'flat',
        type: 'flatRate',
        label: 'Commission',
        measure: 'quota',
        window: 'year',
        rate: '0.05',
        rates: [
          { id: 'renewals', rate: '0.02', priority: 1, conditions: { all: [{ fact: 'type', operator: 'equal', value: 'renewal' }] } },
          { id: 'platform', rate: '0.08', priority: 10, conditions: { all: [{ fact: 'product', operator: 'equal', value: 'PLATFORM' }] } },
        ],
      },
    ]);
    const res = await runPeriods(
      {
        reps: [rep('A')],
        assignments: [assignment('A', 'test-plan')],
        bookings: [
          booking('N1', { amount: '100000', bookedDate: '2026-01-05', credits: [['A', '100']] }),
          booking('R1', { amount: '100000', type: 'renewal', bookedDate: '2026-01-06', credits: [['A', '100']] }),
          booking('P1', { amount: '100000', type: 'renewal', product: 'PLATFORM', bookedDate: '2026-01-07', credits: [['A', '100']] }),
        ],
        plans: [p],
      },
      '2026-01',
      '2026-01',
    );
    const r = at(res, '2026-01');
    // N1 default 5%; R1 renewal 2%; P1 is a PLATFORM renewal: both overrides match, the product's priority wins (8%)
    expect(lineView(r)).toEqual([
      ['commission', 'N1', '5000.00'],
      ['commission', 'P1', '8000.00'],
      ['commission', 'R1', '2000.00'],
    ]);
    expect(explainTrace(r.lines[1].trace, 'USD')).toContain('rate 8% (override platform)');
  });
});

describe('count metrics (issue 15, mechanic 4)', () => {
  const countRule = { id: 'deals', measure: 'deals', creditPct: '100', creditAs: 'count' as const, conditions: { all: [{ fact: 'type', operator: 'equal', value: 'new' }] } };
  const crediting = { base: 'acv' as const, rules: [...testPlanDocument([]).crediting.rules, countRule] };
  const deals = (n: number, split = '100') =>
    Array.from({ length: n }, (_, k) => booking(`D${k + 1}`, { amount: String(1000 * (k + 1)), bookedDate: `2026-01-${String(k + 2).padStart(2, '0')}`, credits: [['A', split]] }));
  const month = async (p: ReturnType<typeof valid>, bs: ReturnType<typeof deals>) =>
    at(await runPeriods({ reps: [rep('A')], assignments: [assignment('A', 'test-plan')], bookings: bs, plans: [p] }, '2026-01', '2026-01'), '2026-01');

  it('SPIF tiers by number of deals: 100 a deal for deals 1-3, 250 a deal from the 4th (marginal); a split deal still counts one', async () => {
    const p = valid(
      [
        {
          id: 'deal-spif',
          type: 'tiered',
          label: 'Deals SPIF',
          measure: 'deals',
          window: 'month',
          measurement: 'cumulative',
          method: 'marginal',
          tierBasis: 'amount',
          rateUnit: 'absolute',
          tiers: [
            { from: '0', to: '3', rate: '100' },
            { from: '3', to: null, rate: '250' },
          ],
        },
      ],
      { crediting },
    );
    expect(summary(await month(p, deals(3)))!.earned).toBe('300.00'); // boundary: the third deal is still 100
    const five = await month(p, deals(5, '50'));
    expect(summary(five)!.earned).toBe('800.00'); // 3 × 100 + 2 × 250, at 50% splits
    expect(explainTrace(five.lines[4].trace, 'USD')).toContain('counts 1 deal (count measure deals); tier 2 (tier 2): 1 deals at 250.00 USD per deal');
  });

  it('a ladder on a count: 500 at 4 deals, 1,200 in all at 8 (pointsOn credit, no quota)', async () => {
    const p = valid(
      [
        {
          id: 'ladder',
          type: 'curve',
          measure: 'deals',
          window: 'month',
          pointsOn: 'credit',
          interpolation: 'stepped',
          points: [
            { attainment: '4', amount: '500' },
            { attainment: '8', amount: '1200' },
          ],
        },
      ],
      { crediting },
    );
    expect(summary(await month(p, deals(3)))!.earned).toBe('0.00');
    expect(summary(await month(p, deals(4)))!.earned).toBe('500.00');
    expect(summary(await month(p, deals(7)))!.earned).toBe('500.00');
    expect(summary(await month(p, deals(8)))!.earned).toBe('1200.00');
  });
});

describe('payment-based eligibility (issue 15, mechanic 2)', () => {
  const flat = { id: 'flat', type: 'flatRate' as const, label: 'Commission 10%', measure: 'quota', window: 'year' as const, rate: '0.1' };
  const pay = (paymentId: string, amount: string, paidDate: string, kind: 'payment' | 'credit_note' | 'refund' = 'payment') => ({ paymentId, bookingId: 'B1', amount: D(amount), currency: 'USD', paidDate, kind });
  const year = async (p: ReturnType<typeof valid>, payments: ReturnType<typeof pay>[], to = '2026-05', amount = '120000') =>
    runPeriods(
      { reps: [rep('A')], assignments: [assignment('A', 'test-plan')], bookings: [booking('B1', { amount, bookedDate: '2026-01-10', credits: [['A', '100']] })], plans: [p], payments },
      '2026-01',
      to,
    );
  const earned = (res: Map<string, Map<string, PayeeResult>>) => [...res.entries()].map(([m, r]) => [m, r.get('A')!.earned.toFixed(2)]);

  it('earns as cash is collected: 25% paid on 28 Feb (the last day counts in February), 75% on 1 Mar; nothing in January', async () => {
    const p = valid([flat], { earnOn: 'payment' });
    const res = await year(p, [pay('P1', '30000', '2026-02-28'), pay('P2', '90000', '2026-03-01')], '2026-03');
    expect(earned(res)).toEqual([
      ['2026-01', '0.00'],
      ['2026-02', '3000.00'],
      ['2026-03', '9000.00'],
    ]);
    expect(explainTrace(at(res, '2026-02').lines[0].trace, 'USD')).toContain("earned on payment P1 of 2026-02-28 (30,000.00 USD): 25% of the booking's credit");
  });

  it('a credit note takes back its share as a clawback; an overpayment earns nothing more; a refund below zero collected takes back only what was earned', async () => {
    const p = valid([flat], { earnOn: 'payment' });
    const res = await year(p, [pay('P1', '120000', '2026-02-10'), pay('P2', '5000', '2026-02-11'), pay('CN1', '12000', '2026-04-05', 'credit_note'), pay('R1', '200000', '2026-05-02', 'refund')]);
    expect(earned(res)).toEqual([
      ['2026-01', '0.00'],
      ['2026-02', '12000.00'], // 120,000 collected (the extra 5,000 is beyond the amount)
      ['2026-03', '0.00'],
      ['2026-04', '-700.00'], // 125,000 − 12,000 = 113,000 collected: 7,000 of the 120,000 counted goes back (the 5,000 overpaid absorbs the rest)
      ['2026-05', '-11300.00'], // the refund takes collected below zero: only the 113,000 still counted is taken back
    ]);
    expect(at(res, '2026-04').lines[0].kind).toBe('clawback');
  });

  it('a credit note in Q2 takes back from the Q1 share it reverses: the Q1 window drops a tier, and May pays the difference back', async () => {
    const tiers = valid(
      [
        {
          id: 'q',
          type: 'tiered',
          label: 'Quarterly tiers',
          measure: 'quota',
          window: 'quarter',
          measurement: 'cumulative',
          method: 'retroactive',
          tierBasis: 'amount',
          rateUnit: 'absolute',
          tiers: [
            { from: '0', to: '100000', rate: '0.05' },
            { from: '100000', to: null, rate: '0.1' },
          ],
        },
      ],
      { earnOn: 'payment' },
    );
    // 150,000 paid 1 Feb: Q1 credit 150,000 at 10% = 15,000
    const note = async (amount: string) => {
      const res = await year(tiers, [pay('P1', '150000', '2026-02-01'), pay('CN1', amount, '2026-05-05', 'credit_note')], '2026-05', '150000');
      return [earned(res).filter(([, e]) => e !== '0.00'), at(res, '2026-05').lines[0]] as const;
    };
    const [big, line] = await note('60000');
    // a 60,000 note leaves 90,000 of Q1's credit: tier 1 at 5% = 4,500; May takes back 10,500
    expect(big).toEqual([
      ['2026-02', '15000.00'],
      ['2026-05', '-10500.00'],
    ]);
    expect(line.kind).toBe('clawback');
    expect(line.originPeriod).toBe('2026-01');
    expect(describeLine({ ...line }, 'USD')).toBe("clawback: booking B1: credit note CN1 of 2026-05-05 takes back 40% of the booking's credit earned on payment (Quarterly tiers)");
    // boundary: a 50,000 note leaves exactly 100,000, still tier 2 (10,000): −5,000
    expect((await note('50000'))[0]).toEqual([
      ['2026-02', '15000.00'],
      ['2026-05', '-5000.00'],
    ]);
  });

  it('tax-inclusive amounts: 120,000 with 20% VAT is a base of 100,000; SERVICES at 10%: 120,000 / 1.1 = 109,090.909…', async () => {
    const crediting = { ...testPlanDocument([]).crediting, taxInclusive: { rate: '0.2', byProduct: { SERVICES: '0.1' } } };
    const p = valid([flat], { crediting });
    const res = await runPeriods(
      {
        reps: [rep('A')],
        assignments: [assignment('A', 'test-plan')],
        bookings: [
          booking('B1', { amount: '120000', bookedDate: '2026-01-10', credits: [['A', '100']] }),
          booking('S1', { amount: '120000', product: 'SERVICES', bookedDate: '2026-01-11', credits: [['A', '100']] }),
          // a booking's own rate beats its product's and the plan's: 105,000 at 5% is a base of 100,000
          { ...booking('T1', { amount: '105000', product: 'SERVICES', bookedDate: '2026-01-12', credits: [['A', '100']] }), taxRate: D('0.05') },
        ],
        plans: [p],
      },
      '2026-01',
      '2026-01',
    );
    expect(lineView(at(res, '2026-01'))).toEqual([
      ['commission', 'B1', '10000.00'],
      ['commission', 'S1', '10909.09'],
      ['commission', 'T1', '10000.00'],
    ]);
    expect(explainTrace(at(res, '2026-01').lines[1].trace, 'USD')).toContain('ACV 109,090.91 USD; split 100%; credit 100%; credit 109,090.91 USD; rate 10%; tax 10% taken out of the amount');
  });
});

describe('activity pay and target bonuses (issue 15, mechanics 4 and 7)', () => {
  it('50 per meeting held: two on 3 Feb (quantity 2) and one on 28 Feb pay 150 in February; a call does not count; 1 Mar is March', async () => {
    const p = valid([{ id: 'meetings', type: 'activity', label: 'Meetings', kind: 'meeting', window: 'month', amount: '50' }]);
    const act = (activityId: string, kind: string, date: string, quantity = '1') => ({ activityId, repId: 'A', kind, date, quantity: D(quantity) });
    const res = await runPeriods(
      {
        reps: [rep('A')],
        assignments: [assignment('A', 'test-plan')],
        bookings: [],
        plans: [p],
        activities: [act('M1', 'meeting', '2026-02-03', '2'), act('M2', 'meeting', '2026-02-28'), act('C1', 'call', '2026-02-10'), act('M3', 'meeting', '2026-03-01')],
      },
      '2026-02',
      '2026-03',
    );
    expect(lineView(at(res, '2026-02'))).toEqual([
      ['commission', 'activity:M1', '100.00'],
      ['commission', 'activity:M2', '50.00'],
    ]);
    expect(lineView(at(res, '2026-03'))).toEqual([['commission', 'activity:M3', '50.00']]);
    expect(explainTrace(at(res, '2026-02').lines[0].trace, 'USD')).toBe('meeting M1 on 2026-02-03: 2 x 50.00 USD');
  });

  it('an MBO of 3,000 a quarter, paid with the quarter\'s last month: achieved pays 3,000; a mid-February hire gets 44/90 of it; a score above the 1.2 cap pays 120%', async () => {
    const p = valid([{ id: 'mbo', type: 'targetBonus', label: 'Quarterly MBO', objective: 'pipeline', window: 'quarter', amount: '3000', maxScore: '1.2' }]);
    const run1 = async (score: string, hireDate = '2025-01-01') =>
      at(
        await runPeriods(
          {
            reps: [rep('A', { hireDate })],
            assignments: [assignment('A', 'test-plan', { startDate: hireDate > '2026-01-01' ? hireDate : '2026-01-01' })],
            bookings: [],
            plans: [p],
            objectives: [{ repId: 'A', objectiveId: 'pipeline', window: '2026-Q1', score: D(score) }],
          },
          '2026-02',
          '2026-03',
        ),
        '2026-03',
      );
    expect(summary(await run1('1'))!.earned).toBe('3000.00');
    expect(summary(await run1('0'))!.earned).toBe('0.00');
    expect(summary(await run1('1.3'))!.earned).toBe('3600.00');
    // hired 16 Feb: 16 Feb – 31 Mar is 13 + 31 = 44 of Q1's 90 days: 3,000 × 44/90 = 1,466.666…
    const late = await run1('1', '2026-02-16');
    expect(summary(late)!.earned).toBe('1466.67');
    expect(explainTrace(late.lines[0].trace, 'USD')).toBe('objective pipeline for 2026-Q1: score 1 x target 3,000.00 USD x 44/90 days on the plan');
  });
});

describe('split types and renewal uplift (issue 15, mechanics 9 and 11)', () => {
  const types = ['new', 'renewal', 'expansion'];
  const rule = (id: string, measure: string, extra: object = {}) => ({ id, measure, creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'in', value: types }] }, ...extra });
  const flat = (id: string, measure: string, rate: string) => ({ id, type: 'flatRate' as const, label: id, measure, window: 'year' as const, rate });

  it('an overlay specialist credited 100% on top of the 100% revenue split: the plan says overlays pay their own 2%, not quota', async () => {
    const overlay = booking('O1', { amount: '100000', bookedDate: '2026-01-10', credits: [['A', '100'], ['S', '100']] });
    overlay.credits[1].splitType = 'overlay';
    const run2 = async (rules: object[]) => {
      const doc = testPlanDocument([flat('quota-10', 'quota', '0.1'), flat('overlay-2', 'overlay', '0.02')], { crediting: { base: 'acv', rules: rules as never } });
      expect(validatePlan(doc)).toEqual([]);
      const res = await runPeriods({ reps: [rep('A'), rep('S')], assignments: [assignment('A', 'test-plan'), assignment('S', 'test-plan')], bookings: [overlay], plans: [planFacts(doc)] }, '2026-01', '2026-01');
      return ['A', 'S'].map((id) => lineView(res.get('2026-01')!.get(id)!));
    };
    // revenue splits count toward quota, overlays only toward the overlay commission
    expect(await run2([rule('quota', 'quota', { splitTypes: ['revenue'] }), rule('overlay', 'overlay', { splitTypes: ['overlay'] })])).toEqual([
      [['commission', 'O1', '10000.00']],
      [['commission', 'O1', '2000.00']],
    ]);
    // a rule that does not say credits both kinds alike: the overlay then counts toward quota too
    expect(await run2([rule('quota', 'quota'), rule('overlay', 'overlay', { splitTypes: ['overlay'] })])).toEqual([
      [['commission', 'O1', '10000.00']],
      [
        ['commission', 'O1', '10000.00'],
        ['commission', 'O1', '2000.00'],
      ],
    ]);
  });

  it('a renewal earns on the uplift over the contract it renews: 120,000 over 100,000 pays 10% of 20,000; a smaller renewal pays nothing', async () => {
    const doc = testPlanDocument([flat('renewals', 'renewal', '0.1')], { crediting: { base: 'acv', rules: [rule('renewal-uplift', 'renewal', { uplift: true, conditions: { all: [{ fact: 'type', operator: 'equal', value: 'renewal' }] } })] } });
    expect(validatePlan(doc)).toEqual([]);
    const renewal = (id: string, amount: string, renews: string | null) => ({ ...booking(id, { amount, type: 'renewal', bookedDate: '2026-02-10', credits: [['A', '100']] }), renews });
    const res = await runPeriods(
      {
        reps: [rep('A'), rep('X')],
        assignments: [assignment('A', 'test-plan')],
        bookings: [
          booking('B0', { amount: '200000', termMonths: 24, bookedDate: '2024-02-10', credits: [['X', '100']] }), // ACV 100,000, another rep's
          renewal('R1', '120000', 'B0'),
          renewal('R2', '90000', 'B0'),
          renewal('R3', '50000', 'ZZ'),
        ],
        plans: [planFacts(doc)],
      },
      '2026-02',
      '2026-02',
    );
    const r = res.get('2026-02')!.get('A')!;
    expect(lineView(r)).toEqual([
      ['commission', 'R1', '2000.00'],
      ['commission', 'R3', '5000.00'],
    ]);
    expect(explainTrace(r.lines[0].trace, 'USD')).toContain('renewal uplift over B0: 120,000.00 USD − 100,000.00 USD');
    expect(explainTrace(r.lines[1].trace, 'USD')).toContain('renews ZZ, which is not in the store: credited in full');
  });
});

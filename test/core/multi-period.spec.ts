import fc from 'fast-check';
import { calculatePeriod, calculatePeriods, priorAfter } from '../../src/core/calculation/calculate-period';
import { CalculationResult, PriorRecord } from '../../src/core/calculation/calculation-types';
import { Decimal, WideDecimal } from '../../src/core/money/decimal';
import { validatePlan } from '../../src/core/plans/validate-plan';
import { assignment, booking, foldPrior, GOLDEN_PLANS, loadPlan, planFacts, rep, testPlanDocument } from '../support/core-builders';

/**
 * A year calculated in one pass (shared crediting, window evaluations reused across months, prior records chained in
 * memory) must equal the same year calculated month by month from scratch.
 */
const PERIODS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

const bookingArb = fc.record({
  cents: fc.integer({ min: -20_000_00, max: 900_000_00 }),
  split: fc.constantFrom('100', '50', '33.333333', '60'),
  day: fc.integer({ min: 0, max: 364 }),
  type: fc.constantFrom('new', 'renewal', 'expansion'),
  term: fc.constantFrom(12, 24, 36, 7),
  cancelAfter: fc.option(fc.integer({ min: 0, max: 250 })),
  second: fc.constantFrom('M', 'B', null),
});

const iso = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);

type GenBooking = typeof bookingArb extends fc.Arbitrary<infer T> ? T : never;

function scenario(bs: GenBooking[]) {
  return {
    reps: [rep('A', { managerId: 'G', hireDate: '2026-02-10' }), rep('B', { managerId: 'G', terminationDate: '2026-08-20' }), rep('M', { managerId: 'G' }), rep('G')],
    assignments: [
      assignment('A', 'ae-2026', { startDate: '2026-02-10' }),
      assignment('B', 'ae-2026', { quota: '600000' }),
      assignment('M', 'am-2026', { quota: '400000', endDate: '2026-06-30' }),
      assignment('M', 'ae-2026', { quota: '900000', startDate: '2026-07-01' }),
      assignment('G', 'mgr-2026'),
    ],
    bookings: bs.map((b, i) =>
      booking(`P${i}`, {
        amount: new Decimal(b.cents).dividedBy(100).toFixed(),
        type: b.type,
        termMonths: b.term,
        bookedDate: iso(b.day),
        cancelledDate: b.cancelAfter === null ? null : iso(b.day + b.cancelAfter),
        product: 'PLATFORM',
        credits: b.second ? [['A', b.split], [b.second, b.split]] : [['A', '100']],
      }),
    ),
  };
}

/**
 * Issue 15's mechanics in one plan under the id "ae-2026" (so the scenario's assignments use it): a seasonal quota,
 * a payout curve beside tiers, a clawback schedule prorated by the unserved term, clawback on termination, a
 * holdback, and a declining draw whose recovery starts later.
 */
function mechanicsPlans(earnOn: 'booking' | 'payment' = 'booking') {
  const doc = testPlanDocument(
    [
      {
        id: 'tiers',
        type: 'tiered',
        measure: 'quota',
        window: 'year',
        measurement: 'cumulative',
        method: 'marginal',
        tierBasis: 'attainment',
        rateUnit: 'baseRate',
        quota: { allocation: 'monthly', ramp: true },
        tiers: [
          { from: '0', to: '1', rate: '1' },
          { from: '1', to: null, rate: '1.5' },
        ],
      },
      {
        id: 'curve',
        type: 'curve',
        measure: 'quota',
        window: 'quarter',
        quota: { allocation: 'window', ramp: false },
        interpolation: 'linear',
        points: [
          { attainment: '0.5', payoutPct: '10' },
          { attainment: '1.2', payoutPct: '40' },
        ],
      },
      { id: 'kicker', type: 'modifier', of: 'curve', window: 'quarter', basis: { window: 'year', quota: { allocation: 'monthly', ramp: false } }, steps: [{ attainment: '0.3', factor: '0.25' }] },
      { id: 'pool', type: 'teamPool', measure: 'team', window: 'quarter', teamQuota: '200000', rate: '0.01', division: 'contribution' },
      {
        id: 'team-rate',
        type: 'tiered',
        measure: 'quota',
        lookupMeasure: 'team',
        window: 'month',
        measurement: 'cumulative',
        method: 'retroactive',
        tierBasis: 'amount',
        rateUnit: 'absolute',
        tiers: [
          { from: '0', to: '100000', rate: '0.001' },
          { from: '100000', to: null, rate: '0.003' },
        ],
        requires: { window: 'year', quota: { allocation: 'monthly', ramp: true }, onPace: true },
      },
    ],
    {
      id: 'ae-2026',
      earnOn,
      crediting: {
        base: 'acv',
        rules: [
          { id: 'all', measure: 'quota', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'in', value: ['new', 'renewal', 'expansion'] }] } },
          { id: 'team', measure: 'team', from: 'team', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'equal', value: 'new' }] } },
        ],
      },
      ramp: { byTenureMonth: ['0.25', '0.5'], thereafter: '1' },
      seasonality: { byQuarter: ['0.2', '0.25', '0.25', '0.3'] },
      clawback: {
        schedule: [
          { withinDays: 60, percent: '100' },
          { withinDays: 150, percent: '50' },
        ],
        prorate: 'unservedTerm',
        onTermination: { withinDays: 45 },
        holdback: { percent: '20' },
      },
      draw: { kind: 'recoverable', schedule: ['3000', '2000', '1000'], tenureMonths: { from: 1, to: 3 }, recovery: { fromTenureMonth: 5 } },
    },
  );
  expect(validatePlan(doc)).toEqual([]);
  return [planFacts(doc), loadPlan('am-2026'), loadPlan('mgr-2026')];
}

/** Cash for each booking: 60% ten days after booking, 40% thirty days later, and a 30% credit note for some. */
function paymentsFor(bs: GenBooking[]) {
  return bs.flatMap((b, i) => {
    if (b.cents <= 0) return [];
    const amount = (pct: number) => new Decimal(b.cents).times(pct).dividedBy(10000);
    const p = (id: string, pct: number, day: number, kind: 'payment' | 'credit_note' = 'payment') => ({ paymentId: `${id}${i}`, bookingId: `P${i}`, amount: amount(pct), currency: 'USD', paidDate: iso(b.day + day), kind });
    return [p('PA', 60, 10), p('PB', 40, 40), ...(b.term === 24 ? [p('CN', 30, 70, 'credit_note')] : [])];
  });
}

async function monthByMonth(s: ReturnType<typeof scenario> & { payments?: ReturnType<typeof paymentsFor> }, plans = GOLDEN_PLANS()): Promise<CalculationResult[]> {
  const out: CalculationResult[] = [];
  let prior = new Map<string, PriorRecord>();
  for (const period of PERIODS) {
    const r = await calculatePeriod({ period, ...s, fxRates: [], plans, prior });
    out.push(r);
    prior = priorAfter(prior, r);
  }
  return out;
}

describe('calculatePeriods: a year in one pass', () => {
  it('equals the year calculated month by month (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bookingArb, { maxLength: 14 }), async (bs) => {
        const s = scenario(bs);
        const expected = await monthByMonth(s);
        const got: CalculationResult[] = [];
        for await (const r of calculatePeriods({ periods: PERIODS, ...s, fxRates: [], plans: GOLDEN_PLANS(), prior: new Map() })) got.push(r);
        expect(got.map((r) => JSON.stringify(r))).toEqual(expected.map((r) => JSON.stringify(r)));
      }),
      { numRuns: 30 },
    );
  });

  it('equals the year calculated month by month for a plan using the mechanics of issue 15 (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bookingArb, { maxLength: 12 }), async (bs) => {
        const s = scenario(bs);
        const plans = mechanicsPlans();
        const expected = await monthByMonth(s, plans);
        const got: CalculationResult[] = [];
        for await (const r of calculatePeriods({ periods: PERIODS, ...s, fxRates: [], plans, prior: new Map() })) got.push(r);
        expect(got.map((r) => JSON.stringify(r))).toEqual(expected.map((r) => JSON.stringify(r)));
      }),
      { numRuns: 30 },
    );
  });

  it('equals the year calculated month by month when the plan earns on payment, with credit notes (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bookingArb, { maxLength: 10 }), async (bs) => {
        const s = { ...scenario(bs), payments: paymentsFor(bs) };
        const plans = mechanicsPlans('payment');
        const expected = await monthByMonth(s, plans);
        const got: CalculationResult[] = [];
        for await (const r of calculatePeriods({ periods: PERIODS, ...s, fxRates: [], plans, prior: new Map() })) got.push(r);
        expect(got.map((r) => JSON.stringify(r))).toEqual(expected.map((r) => JSON.stringify(r)));
      }),
      { numRuns: 25 },
    );
  });

  it('chains prior records exactly as the test fold does for the golden plans', async () => {
    const s = scenario([
      { cents: 12_345_67, split: '33.333333', day: 40, type: 'new', term: 36, cancelAfter: 30, second: 'M' },
      { cents: 250_000_00, split: '60', day: 100, type: 'new', term: 12, cancelAfter: null, second: 'B' },
      { cents: 80_000_00, split: '100', day: 200, type: 'renewal', term: 24, cancelAfter: 120, second: null },
    ]);
    let viaFold = new Map<string, PriorRecord>();
    let viaCore = new Map<string, PriorRecord>();
    for (const period of PERIODS) {
      const r = await calculatePeriod({ period, ...s, fxRates: [], plans: GOLDEN_PLANS(), prior: viaCore });
      viaFold = foldPrior(viaFold, r.payees);
      viaCore = priorAfter(viaCore, r);
      for (const p of r.payees) {
        const a = viaFold.get(p.repId) as PriorRecord;
        const b = viaCore.get(p.repId) as PriorRecord;
        expect(b.earnedBefore.toFixed()).toBe(a.earnedBefore.toFixed());
        expect(b.balanceBefore.toFixed()).toBe(a.balanceBefore.toFixed());
        for (const [key, rec] of a.keys) {
          expect(b.keys.get(key)?.rounded.toFixed()).toBe(rec.rounded.toFixed());
          for (const [ref, d] of rec.byRef) expect(new Decimal((b.keys.get(key)?.byRef.get(ref) as Decimal).toFixed()).toFixed()).toBe(d.toFixed());
        }
      }
    }
  });

  it('keeps recorded precise amounts exact where 40 digits would round', () => {
    const third = new Decimal(1).dividedBy(3); // 0.333… to 40 digits
    const line = (amountPrecise: Decimal) => ({ kind: 'commission' as const, componentKey: 'k', ref: 'b1', bookingId: 'b1', originPeriod: null, amount: new Decimal('0.33'), amountPrecise, description: '', trace: {} });
    const payee = (lines: ReturnType<typeof line>[]) => ({ repId: 'A', earned: new Decimal('0.66'), balance: new Decimal(0), lines }) as never;
    let prior = priorAfter(new Map(), { period: '2026-01', payees: [payee([line(third.times(1000)), line(third)])] });
    prior = priorAfter(prior, { period: '2026-02', payees: [payee([line(third.dividedBy(1000))])] });
    const exact = new WideDecimal(third.times(1000)).plus(third).plus(third.dividedBy(1000));
    expect(prior.get('A')?.keys.get('k')?.byRef.get('b1')?.toFixed()).toBe(exact.toFixed());
  });
});

import { PlanVersionFacts } from '../../src/core/calculation/calculation-types';
import { PlanDocument } from '../../src/core/plans/plan-types';
import { validatePlan } from '../../src/core/plans/validate-plan';
import { assignment, booking, lineView, planFacts, rep, runPeriods, summary, testPlanDocument } from '../support/core-builders';

/** A minimal plan around one component, validated like any plan file. */
function plan(components: PlanDocument['components'], extra: Partial<PlanDocument> = {}): PlanVersionFacts {
  const document = testPlanDocument(components, extra);
  expect(validatePlan(document)).toEqual([]);
  return planFacts(document);
}

async function month(p: PlanVersionFacts, amounts: string[], o: { quota?: string; variable?: string; hireDate?: string } = {}) {
  const res = await runPeriods(
    {
      reps: [rep('A', { hireDate: o.hireDate ?? '2025-01-01' })],
      assignments: [assignment('A', 'test-plan', { quota: o.quota ?? '1200000', variable: o.variable ?? '120000', startDate: o.hireDate && o.hireDate > '2026-01-01' ? o.hireDate : '2026-01-01' })],
      bookings: amounts.map((a, i) => booking(`B${i + 1}`, { amount: a, bookedDate: `2026-01-${String(10 + i).padStart(2, '0')}`, credits: [['A', '100']] })),
      plans: [p],
    },
    '2026-01',
    '2026-01',
  );
  return res.get('2026-01')!.get('A')!;
}

describe('component mechanics', () => {
  it('monthly window, linear interpolation: the rate rises from 2% to 6% across 0-100% of a 100,000 quota', async () => {
    const p = plan([
      {
        id: 'linear',
        type: 'tiered',
        measure: 'quota',
        window: 'month',
        measurement: 'cumulative',
        method: 'marginal',
        tierBasis: 'attainment',
        rateUnit: 'absolute',
        interpolation: 'linear',
        quota: { allocation: 'monthly', ramp: false },
        tiers: [{ from: '0', to: '1', rate: '0.02', rateTo: '0.06' }],
        attainmentCap: '1',
      },
    ]);
    // 50,000 of 100,000: ∫ rate = 50,000 × (0.02 + 0.04)/2 = 1,500
    expect(summary(await month(p, ['50000']))!.earned).toBe('1500.00');
    // 150,000 capped at 100,000: 100,000 × (0.02 + 0.06)/2 = 4,000
    expect(summary(await month(p, ['150000']))!.earned).toBe('4000.00');
  });

  it('retroactive linear: 75% attainment pays the interpolated rate 4.5% on everything', async () => {
    const p = plan([
      {
        id: 'retro',
        type: 'tiered',
        measure: 'quota',
        window: 'month',
        measurement: 'cumulative',
        method: 'retroactive',
        tierBasis: 'attainment',
        rateUnit: 'absolute',
        interpolation: 'linear',
        quota: { allocation: 'window', ramp: false },
        tiers: [
          { from: '0', to: '0.5', rate: '0', rateTo: '0' },
          { from: '0.5', to: '1', rate: '0.03', rateTo: '0.06' },
        ],
      },
    ]);
    expect(summary(await month(p, ['75000']))!.earned).toBe('3375.00');
  });

  it('per-deal tiers on deal size with a decelerator band and a per-deal gate', async () => {
    const p = plan([
      {
        id: 'deal',
        type: 'tiered',
        measure: 'quota',
        window: 'month',
        measurement: 'perDeal',
        method: 'marginal',
        tierBasis: 'amount',
        rateUnit: 'absolute',
        gate: '10000',
        tiers: [
          { from: '0', to: '100000', rate: '0.10' },
          { from: '100000', to: null, rate: '0.04', label: 'decelerator above 100k' },
        ],
      },
    ]);
    // 5,000 below the gate: 0; 50,000: 5,000; 250,000: 10,000 + 150,000 × 4% = 16,000
    const r = await month(p, ['5000', '50000', '250000']);
    expect(lineView(r)).toEqual([
      ['commission', 'B2', '5000.00'],
      ['commission', 'B3', '16000.00'],
    ]);
  });

  it('flat rate with a payout cap', async () => {
    const p = plan([{ id: 'flat', type: 'flatRate', measure: 'quota', window: 'month', rate: '0.1', payoutCap: '7000' }]);
    expect(summary(await month(p, ['40000', '40000']))!.earned).toBe('7000.00');
  });

  it('threshold SPIF pays once when the window reaches its attainment', async () => {
    const p = plan([
      { id: 'club', type: 'spiff', mode: 'threshold', amount: '2500', measure: 'quota', window: 'month', attainment: '1', quota: { allocation: 'monthly', ramp: false }, from: '2026-01-01', to: '2026-06-30' },
    ]);
    expect(summary(await month(p, ['60000']))!.earned).toBe('0.00');
    expect(summary(await month(p, ['60000', '40000']))!.earned).toBe('2500.00');
  });

  it('a non-recoverable draw is a floor that is never paid back', async () => {
    const p = plan([{ id: 'flat', type: 'flatRate', measure: 'quota', window: 'month', rate: '0.1' }], {
      draw: { kind: 'nonRecoverable', amount: '3000', tenureMonths: { from: 1, to: 12 } },
    });
    const r = await month(p, ['10000'], { hireDate: '2026-01-01' });
    // x = 1,000 < g = 3,000: pays 3,000 and owes nothing
    expect(summary(r)).toEqual({ earnedToDate: '1000.00', earned: '1000.00', draw: '3000.00', payout: '3000.00', balance: '0.00' });
    expect(lineView(r)).toEqual([
      ['commission', 'B1', '1000.00'],
      ['draw', null, '2000.00'],
    ]);
  });

  it('rounds each window once, and a rounding line makes the lines add up', async () => {
    const p = plan([{ id: 'flat', type: 'flatRate', measure: 'quota', window: 'month', rate: '0.015' }]);
    // 3 × 100.33 × 1.5% = 3 × 1.50495 = 4.51485 -> 4.51; lines round to 1.50 each (4.50) + rounding 0.01
    const r = await month(p, ['100.33', '100.33', '100.33']);
    expect(lineView(r)).toEqual([
      ['commission', 'B1', '1.50'],
      ['commission', 'B2', '1.50'],
      ['commission', 'B3', '1.50'],
      ['rounding', '~rounding', '0.01'],
    ]);
    expect(r.payout.toFixed(2)).toBe('4.51');
  });
});

describe('crediting rules', () => {
  it('credit % by product and the TCV base: 50% credit on SERVICES, TCV counted whole', async () => {
    const p = plan([{ id: 'flat', type: 'flatRate', measure: 'quota', window: 'month', rate: '0.1' }], {
      crediting: {
        base: 'tcv',
        rules: [
          { id: 'services-half', measure: 'quota', creditPct: '50', priority: 10, conditions: { all: [{ fact: 'product', operator: 'equal', value: 'SERVICES' }] } },
          { id: 'everything-else', measure: 'quota', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'in', value: ['new', 'renewal', 'expansion'] }] } },
        ],
      },
    });
    const res = await runPeriods(
      {
        reps: [rep('A')],
        assignments: [assignment('A', 'test-plan')],
        bookings: [
          // 36-month TCV 36,000 on SERVICES: 50% of 36,000 = 18,000 credit -> 1,800
          booking('S', { amount: '36000', termMonths: 36, product: 'SERVICES', bookedDate: '2026-01-05', credits: [['A', '100']] }),
          // CORE: the higher-priority rule does not match; 100% of 10,000 -> 1,000
          booking('C', { amount: '10000', product: 'CORE', bookedDate: '2026-01-06', credits: [['A', '100']] }),
        ],
        plans: [p],
      },
      '2026-01',
      '2026-01',
    );
    const r = res.get('2026-01')!.get('A')!;
    expect(lineView(r)).toEqual([
      ['commission', 'C', '1000.00'],
      ['commission', 'S', '1800.00'],
    ]);
    expect(r.lines[1].trace).toEqual(expect.objectContaining({ rule: 'services-half', creditPct: '50', baseKind: 'tcv', base: '36000', credit: '18000' }));
  });
});

describe('plan validation', () => {
  it('names the JSON path of every problem', () => {
    const doc = JSON.parse(JSON.stringify(require('../../plans/ae-2026.json')));
    doc.components[0].tiers[2].from = '0.9';
    doc.components[0].tiers[3].rate = '-2.0';
    doc.crediting.rules[0].conditions.all[0].operator = 'greaterThan';
    expect(validatePlan(doc)).toEqual([
      { path: 'crediting.rules[0].conditions.all[0].operator', message: expect.stringContaining('must be one of "equal"') },
      { path: 'components[0].tiers[2].from', message: "must be >= previous tier's to" },
      { path: 'components[0].tiers[3].rate', message: 'must not be negative' },
    ]);
    doc.crediting.rules[0].conditions.all[0].operator = 'in';
    expect(validatePlan(doc)).toEqual([
      { path: 'components[0].tiers[2].from', message: "must be >= previous tier's to" },
      { path: 'components[0].tiers[3].rate', message: 'must not be negative' },
    ]);
  });

  it('rejects a number where a decimal string is required, and unknown facts', () => {
    const doc = JSON.parse(JSON.stringify(require('../../plans/am-2026.json')));
    doc.components[0].payoutCap = 30000;
    doc.crediting.rules[0].conditions.all[0].fact = 'region';
    expect(validatePlan(doc)).toEqual([
      { path: 'crediting.rules[0].conditions.all[0].fact', message: expect.stringContaining('must be one of') },
      { path: 'components[0].payoutCap', message: expect.stringMatching(/^must be a decimal string such as "0\.5", not the number 0\.5: /) },
    ]);
  });
});

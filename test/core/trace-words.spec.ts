import { payeeHash } from '../../src/core/calculation/result-hash';
import { PlanVersionFacts } from '../../src/core/calculation/calculation-types';
import { TieredTrace } from '../../src/core/calculation/trace';
import { LINE_WORDS, describeLine, explainTrace } from '../../src/core/explain/line-words';
import { PlanDocument } from '../../src/core/plans/plan-types';
import { validatePlan } from '../../src/core/plans/validate-plan';
import { assignment, booking, rep, runPeriods } from '../support/core-builders';

/**
 * Retroactive tiers on the year's credit in amounts: up to 100,000 at 5% ("base"), above at 8% ("accelerator"),
 * clawback within 90 days. January: B1 60,000 + B2 50,000 = 110,000 reaches tier 2, so everything earns 8%
 * (B1 4,800, B2 4,000). February: B1 is cancelled 26 days after booking, the year's credit falls to 50,000 and
 * B2 drops to tier 1: 50,000 × 5% = 2,500, a line of 2,500 − 4,000 = −1,500 that must say why.
 */
const document: PlanDocument = {
  id: 'retro',
  version: 1,
  name: 'retroactive tiers',
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-12-31',
  quotaMeasure: 'quota',
  crediting: { base: 'acv', rules: [{ id: 'all', measure: 'quota', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'in', value: ['new'] }] } }] },
  clawback: { windowDays: 90 },
  components: [
    {
      id: 'quota-commission',
      label: 'Quota commission',
      type: 'tiered',
      measure: 'quota',
      window: 'year',
      measurement: 'cumulative',
      method: 'retroactive',
      tierBasis: 'amount',
      rateUnit: 'absolute',
      interpolation: 'stepped',
      tiers: [
        { from: '0', to: '100000', rate: '0.05', label: 'base' },
        { from: '100000', to: null, rate: '0.08', label: 'accelerator' },
      ],
    },
  ],
};
const plan: PlanVersionFacts = { planId: 'retro', version: 1, hash: 'retro', document };

async function run() {
  return runPeriods(
    {
      reps: [rep('A')],
      assignments: [assignment('A', 'retro')],
      bookings: [
        booking('B1', { amount: '60000', bookedDate: '2026-01-10', cancelledDate: '2026-02-05', credits: [['A', '100']] }),
        booking('B2', { amount: '50000', bookedDate: '2026-01-20', credits: [['A', '100']] }),
      ],
      plans: [plan],
    },
    '2026-01',
    '2026-02',
  );
}

describe('the trace says why a line moved, in words from one module', () => {
  it('the plan is valid', () => expect(validatePlan(document)).toEqual([]));

  it('January: both bookings at the accelerator rate', async () => {
    const jan = (await run()).get('2026-01')!.get('A')!;
    expect(jan.lines.map((l) => [l.kind, l.ref, l.amount.toFixed(2)])).toEqual([
      ['commission', 'B1', '4800.00'],
      ['commission', 'B2', '4000.00'],
    ]);
    expect(explainTrace(jan.lines[1].trace, 'USD')).toBe(
      'booking B2 v1 (new CORE, booked 2026-01-20); rule all; ACV 50,000.00 USD; split 100%; credit 100%; credit 50,000.00 USD; tier 2 (accelerator) at 8%',
    );
    expect(describeLine(jan.lines[1], 'USD')).toBe('Quota commission: booking B2');
  });

  it("February: B1's cancellation is a clawback, and B2's line names it with the tier before and after", async () => {
    const feb = (await run()).get('2026-02')!.get('A')!;
    expect(feb.lines.map((l) => [l.kind, l.ref, l.amount.toFixed(2), l.cause])).toEqual([
      ['clawback', 'B1', '-4800.00', 'cancellation'],
      ['commission', 'B2', '-1500.00', null],
      // −4,800 − 1,500 = −6,300 earned: nothing paid, 6,300 owed from later commission
      ['negative_carried_forward', null, '6300.00', null],
    ]);
    expect([feb.payout.toFixed(2), feb.balance.toFixed(2)]).toEqual(['0.00', '6300.00']);
    expect(describeLine(feb.lines[2], 'USD')).toBe('net -6,300.00 USD carried forward as balance owed');
    const b2 = feb.lines[1].trace as TieredTrace & { movedBy: unknown };
    expect(b2.movedBy).toEqual({ cancelled: ['B1'], added: [], changed: [], before: { tier: 2, tierLabel: 'accelerator', rate: '0.08' } });
    expect(b2).toMatchObject({ tier: 1, tierLabel: 'base', rate: '0.05', windowAmountBefore: '4000', windowAmountNow: '2500' });
    expect(explainTrace(feb.lines[1].trace, 'USD')).toContain(
      'moved because booking B1 cancelled in the same window: was tier 2 (accelerator) at 8%, now tier 1 (base) at 5%',
    );
    expect(describeLine(feb.lines[0], 'USD')).toBe('clawback: booking B1 cancelled 2026-02-05 within the clawback window (Quota commission)');
  });

  it('rewording every template changes the words and never the payee hash', async () => {
    const feb = (await run()).get('2026-02')!.get('A')!;
    const before = payeeHash(feb);
    const saved = { ...LINE_WORDS };
    try {
      for (const k of Object.keys(LINE_WORDS) as (keyof typeof LINE_WORDS)[]) (LINE_WORDS as Record<string, unknown>)[k] = () => `reworded ${k}`;
      expect(describeLine(feb.lines[1], 'USD')).toBe('reworded commission');
      expect(payeeHash(feb)).toBe(before);
    } finally {
      Object.assign(LINE_WORDS, saved);
    }
  });

  it('traces stored before the trace was typed (booking type as `type`, no kind) still read', () => {
    expect(explainTrace({ bookingId: 'B9', bookingVersion: 2, type: 'renewal', product: 'CORE', bookedDate: '2026-03-01', rate: '0.07', cause: 'amended' }, 'EUR')).toBe(
      'booking B9 v2 (renewal CORE, booked 2026-03-01); rate 7%; cause: amended',
    );
  });
});

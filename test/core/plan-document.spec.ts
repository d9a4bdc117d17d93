import * as fs from 'node:fs';
import * as path from 'node:path';
import { Decimal } from '../../src/core/money/decimal';
import { planHash } from '../../src/core/plans/canonical-json';
import { buildPlanDocument, planDocumentHash, PlanDocumentInput } from '../../src/core/plans/plan-document';
import { PlanDocument } from '../../src/core/plans/plan-types';
import { conditionWords, planTerms } from '../../src/core/plans/plan-words';

const plan = (file: string): PlanDocument => JSON.parse(fs.readFileSync(path.join(__dirname, '../../plans', file), 'utf8')) as PlanDocument;
const ae = plan('ae-2026.json');

/** N1 of the demo: hired 16 February 2026 on ae-2026, Q 1,200,000, V 120,000, base 100,000 USD. */
const n1: PlanDocumentInput = {
  assignmentId: '3',
  rep: { repId: 'N1', name: 'Ned Newhire', managerId: null, hireDate: '2026-02-16', terminationDate: null, currency: 'USD' },
  assignment: {
    repId: 'N1',
    planId: 'ae-2026',
    startDate: '2026-02-16',
    endDate: '2026-12-31',
    annualQuota: new Decimal('1200000'),
    targetVariable: new Decimal('120000'),
    baseSalary: new Decimal('100000'),
  },
  plan: { planId: 'ae-2026', version: 1, hash: planHash(ae as unknown as Record<string, unknown>), document: ae },
};

describe('the written plan of an assignment', () => {
  it("states the payee's figures and the ramped quota month by month (checked by hand)", async () => {
    const v = (await buildPlanDocument(n1))!;
    expect(v.covers).toEqual({ from: '2026-02-16', to: '2026-12-31' });
    const figure = (label: string) => v.figures.find((f) => f.label === label)?.value;
    expect(figure('On-target earnings (OTE)')).toBe('220,000.00 USD'); // 100,000 + 120,000
    expect(figure('Earnings at risk')).toBe('120,000.00 USD (54.55% of OTE)'); // 120,000 / 220,000 = 54.545…%
    expect(figure('Base rate (target variable / annual quota)')).toBe('0.1');
    // February: 1,200,000 / 12 × ramp 0.25 × 13 of 28 days = 11,607.142857…; March 100,000 × 0.5; April × 0.75
    expect(v.rampedQuota.slice(0, 4).map((m) => [m.period, m.tenureMonth, m.ramp, `${m.activeDays}/${m.daysInMonth}`, m.quotaText])).toEqual([
      ['2026-02', 1, '0.25', '13/28', '11,607.14 USD'],
      ['2026-03', 2, '0.5', '31/31', '50,000.00 USD'],
      ['2026-04', 3, '0.75', '30/30', '75,000.00 USD'],
      ['2026-05', 4, '1', '31/31', '100,000.00 USD'],
    ]);
    expect(v.rampedQuota).toHaveLength(11);
    // 11,607.142857… + 50,000 + 75,000 + 8 × 100,000
    expect(figure('Quota for the covered months (ramped, prorated)')).toBe('936,607.14 USD');
    expect(v.amounts).toEqual({ annualQuota: '1200000', rampedQuota: '936607.1428571428571428571428571428571429', baseSalary: '100000', targetVariable: '120000', ote: '220000' });
  });

  it('works examples at 50%, 100% and 150% with the engine (marginal tiers at 0.5, 1 and 1.5 × V/Q)', async () => {
    const v = (await buildPlanDocument(n1))!;
    // quota Q' = 936,607.142857…; base rate 0.1. 50%: 0.05 × 468,303.57 = 23,415.18;
    // 100%: + 0.1 × 468,303.57 = 70,245.54; 150%: + 0.15 × 468,303.57 = 140,491.07
    expect(v.examples.map((e) => [e.attainmentText, e.components.find((c) => c.id === 'quota-commission')?.earned, e.earnedText])).toEqual([
      ['50.00%', '23415.18', '23,415.18 USD'],
      ['100.00%', '70245.54', '70,245.54 USD'],
      ['150.00%', '140491.07', '140,491.07 USD'],
    ]);
    // the renewal commission and the SPIF need bookings the examples do not make
    for (const e of v.examples) expect(e.components.filter((c) => c.id !== 'quota-commission').map((c) => c.earned)).toEqual(['0.00', '0.00']);
    // the target for the covered months: 120,000 × (13/28 + 10) / 12 = 104,642.857…; 70,245.54 / 104,642.86 = 67.13%
    expect(v.examples[1].ofTargetText).toBe('67.13% of the target variable for these months');
  });

  it('is named by a hash that changes when the plan version or the assignment changes, and only then', () => {
    const h = planDocumentHash(n1);
    expect(planDocumentHash({ ...n1 })).toBe(h);
    expect(planDocumentHash({ ...n1, assignment: { ...n1.assignment, annualQuota: new Decimal('1300000') } })).not.toBe(h);
    expect(planDocumentHash({ ...n1, plan: { ...n1.plan, version: 2, hash: 'f'.repeat(64) } })).not.toBe(h);
    expect(planDocumentHash({ ...n1, rep: { ...n1.rep, name: 'Ned N. Newhire' } })).not.toBe(h);
  });

  it('has no document where the assignment and the plan version do not overlap', async () => {
    expect(await buildPlanDocument({ ...n1, assignment: { ...n1.assignment, startDate: '2027-01-01', endDate: null } })).toBeNull();
  });
});

describe('plan terms in words', () => {
  it('says every part of the plan: crediting, each component with its tiers and cap, ramp, clawback, draw', () => {
    const terms = planTerms(ae);
    expect(terms.map((s) => s.title)).toEqual([
      'The plan',
      'How bookings are credited',
      'Component: Quota commission (marginal tiers, YTD)',
      'Component: Renewal commission 2%',
      'Component: Q1 platform SPIF',
      'Quota ramp',
      'Clawback',
      'Draw',
    ]);
    const all = terms.flatMap((s) => s.lines);
    expect(all).toContain('Rule "new-and-expansion-credit": your own bookings where the booking type is one of new, expansion: credit 100% to "quota".');
    expect(all).toContain('  100.00% to 150.00%: 1.5 × your base rate (accelerator 100-150%)');
    expect(all).toContain('Attainment counts up to 250.00% (cap).');
    expect(all).toContain('2% of the "renewal" credit of the calendar year.');
    expect(all).toContain('A booking cancelled within 90 days of its booked date is clawed back (100%) in the month of the cancellation.');
    expect(all).toContain('Your quota ramps by tenure month (month 1 is the calendar month you were hired): month 1: 25.00%, month 2: 50.00%, month 3: 75.00%; then 100.00%.');
    expect(all).toContain('A recoverable draw of 2000 a month in tenure months 1 to 3 for payees hired 2026-01-01 to 2026-12-31: it tops your payout up to the draw.');
  });

  it('reads condition trees as a person would', () => {
    expect(conditionWords({ all: [{ fact: 'type', operator: 'equal', value: 'new' }, { fact: 'acv', operator: 'decimalGte', value: '50000' }] })).toBe('the booking type is new and the ACV ≥ 50000');
    expect(conditionWords({ any: [{ fact: 'product', operator: 'in', value: ['A', 'B'] }, { not: { fact: 'type', operator: 'equal', value: 'renewal' } }] })).toBe(
      'the product is one of A, B or not (the booking type is renewal)',
    );
    expect(conditionWords({ all: [] })).toBe('always');
  });

  it('words every plan in plans/ without an unknown component type', () => {
    for (const f of fs.readdirSync(path.join(__dirname, '../../plans')).filter((x) => x.endsWith('.json'))) {
      for (const s of planTerms(plan(f))) for (const l of s.lines) expect(l).not.toMatch(/undefined|\[object Object\]/);
    }
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlanDocument } from '../../src/core/plans/plan-types';
import { planWarnings } from '../../src/core/plans/plan-warnings';
import { validatePlan } from '../../src/core/plans/validate-plan';

const ae = (): PlanDocument => JSON.parse(fs.readFileSync(path.join(__dirname, '../../plans/ae-2026.json'), 'utf8')) as PlanDocument;

/** A SPIF-only plan, as a plan author new to the format wrote it: its crediting credits renewals, its SPIF wants new deals. */
const spifOnly = (): PlanDocument => JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/authored/spif-only.json'), 'utf8')) as PlanDocument;

describe('plan warnings: valid plans that cannot pay', () => {
  it('the golden plans have none', () => {
    for (const f of ['ae-2026.json', 'am-2026.json', 'mgr-2026.json']) expect(planWarnings(JSON.parse(fs.readFileSync(path.join(__dirname, '../../plans', f), 'utf8')))).toEqual([]);
  });

  it('a SPIF whose conditions no credited booking meets: valid, and it says why it pays nothing', () => {
    const plan = spifOnly();
    expect(validatePlan(plan)).toEqual([]);
    expect(planWarnings(plan)).toEqual([
      {
        path: 'components[0].conditions',
        message:
          'no booking can meet these conditions and be credited: a SPIF only sees bookings that a crediting rule credits, and every crediting rule excludes what ' +
          'the SPIF needs (rule "renewals" credits type renewal, the SPIF needs type new|expansion); widen a crediting rule or the SPIF\'s conditions',
      },
    ]);
    // a crediting rule for new deals too: the SPIF can pay
    plan.crediting.rules.push({ id: 'new', measure: 'quota', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'equal', value: 'new' }] } });
    expect(planWarnings(plan)).toEqual([]);
  });

  it('tiers above the attainment cap, a measure credited at 0%, a SPIF outside the plan\'s dates', () => {
    const plan = ae();
    const tiered = plan.components[0] as { attainmentCap?: string };
    tiered.attainmentCap = '1.5';
    plan.crediting.rules[1].creditPct = '0';
    (plan.components[2] as { from: string; to: string }).from = '2027-01-01';
    (plan.components[2] as { from: string; to: string }).to = '2027-03-31';
    expect(planWarnings(plan).map((w) => `${w.path}: ${w.message}`)).toEqual([
      'components[0].tiers[3].from: starts at 1.5, at or above attainmentCap 1.5: no attainment reaches this tier',
      'components[1].measure: every crediting rule producing "renewal" credits 0%: this component can never pay',
      "components[2].from: the SPIF runs 2027-01-01 to 2027-03-31, outside the plan's 2026-01-01 to 2026-12-31: it can never pay",
    ]);
  });
});

describe('validation messages written for a person', () => {
  it('a single condition not wrapped in all/any/not: one message that says the fix', () => {
    const plan = spifOnly() as unknown as { crediting: { rules: { conditions: unknown }[] } };
    plan.crediting.rules[0].conditions = { fact: 'type', operator: 'equal', value: 'renewal' };
    expect(validatePlan(plan)).toEqual([
      {
        path: 'crediting.rules[0].conditions',
        message: 'must be a condition tree: wrap the condition in "all", "any" or "not", e.g. {"all": [{"fact": "type", "operator": "equal", "value": "new"}]}',
      },
    ]);
  });

  it('a number where a decimal string belongs: why decimals are strings, and how to write one', () => {
    const plan = ae() as unknown as { components: { tiers: { rate: unknown }[] }[] };
    plan.components[0].tiers[0].rate = 0.5;
    expect(validatePlan(plan)).toEqual([
      {
        path: 'components[0].tiers[0].rate',
        message: 'must be a decimal string such as "0.5", not the number 0.5: amounts, rates and percentages are strings on purpose, so no binary floating-point number ever holds them',
      },
    ]);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { planDiff } from '../../src/core/plans/plan-diff';
import { PlanDocument } from '../../src/core/plans/plan-types';
import { inEffect } from '../../src/core/plans/plan-versions';

const ae = JSON.parse(fs.readFileSync(path.join(__dirname, '../../plans/ae-2026.json'), 'utf8')) as PlanDocument;
const dates = (effectiveFrom: string, effectiveTo: string) => ({ effectiveFrom, effectiveTo });

describe('which plan version is in effect', () => {
  it('a later version takes over from its first day; the earlier one ends the day before', () => {
    const r = inEffect([
      { version: 1, document: dates('2026-01-01', '2026-12-31') },
      { version: 2, document: dates('2026-03-01', '2026-12-31') },
    ]);
    expect(r.get(1)).toEqual({ from: '2026-01-01', to: '2026-02-28' });
    expect(r.get(2)).toEqual({ from: '2026-03-01', to: '2026-12-31' });
  });

  it('a version a later one starts on or before is never in effect; versions that do not overlap keep their dates', () => {
    const r = inEffect([
      { version: 1, document: dates('2026-01-01', '2026-12-31') },
      { version: 2, document: dates('2026-01-01', '2026-06-30') },
      { version: 3, document: dates('2027-01-01', '2027-12-31') },
    ]);
    expect(r.get(1)).toBeNull();
    expect(r.get(2)).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(r.get(3)).toEqual({ from: '2027-01-01', to: '2027-12-31' });
  });
});

describe('the change between two versions, in words', () => {
  it('names a tier rate by its component and tier label, and the path beside it', () => {
    const next = JSON.parse(JSON.stringify(ae)) as PlanDocument & { components: { tiers: { rate: string }[] }[] };
    next.components[0].tiers[2].rate = '1.6';
    next.version = 2;
    expect(planDiff(ae, next)).toEqual([
      { path: 'components[0].tiers[2].rate', before: '1.5', after: '1.6', text: 'Quota commission (marginal tiers, YTD), tier "accelerator 100-150%", rate: 1.5 → 1.6' },
    ]);
  });

  it('says what was added and removed, and ignores the version number', () => {
    const next = JSON.parse(JSON.stringify(ae)) as PlanDocument;
    next.version = 7;
    delete next.clawback;
    (next.components[1] as { payoutCap?: string }).payoutCap = '10000';
    expect(planDiff(ae, next).map((c) => c.text)).toEqual(['clawback: removed (was {"windowDays":90})', 'Renewal commission 2%, payoutCap: added 10000']);
  });
});

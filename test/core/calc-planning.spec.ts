import { payeesChangedBetween, planShards } from '../../src/calculation/calc-planning';
import { affectedBy, readersOf } from '../../src/core/calculation/teams';
import type { InputSnapshot } from '../../src/calculation/input-snapshot';

/** The pure decisions of a calculation: shard cuts and the payees an incremental recalculation recomputes. */
describe('shard planning', () => {
  // M1 manages A and B; M2 manages C; D has no manager.
  const reps = [
    { repId: 'A', managerId: 'M1' },
    { repId: 'B', managerId: 'M1' },
    { repId: 'C', managerId: 'M2' },
    { repId: 'D', managerId: null },
    { repId: 'M1', managerId: null },
    { repId: 'M2', managerId: null },
  ];
  const credits = new Map([
    ['A', 10],
    ['B', 20],
    ['C', 5],
    ['D', 40],
  ]);
  const all = new Set(reps.map((r) => r.repId));

  it('keeps a team together, depth first from the roots in id order', () => {
    expect(planShards(reps, credits, all, { size: 100, credits: 1000 })).toEqual([['D', 'M1', 'A', 'B', 'M2', 'C']]);
  });

  it('cuts at the payee limit', () => {
    expect(planShards(reps, credits, all, { size: 2, credits: 1000 })).toEqual([['D', 'M1'], ['A', 'B'], ['M2', 'C']]);
  });

  it("cuts at the credit limit, counting a manager's reports' credits as the manager's load", () => {
    // weights: D 40, M1 30 (A+B), A 10, B 20, M2 5 (C), C 5
    expect(planShards(reps, credits, all, { size: 100, credits: 45 })).toEqual([['D'], ['M1', 'A'], ['B', 'M2', 'C']]);
  });

  it('places only the wanted payees, and a payee heavier than the limit alone', () => {
    expect(planShards(reps, credits, new Set(['C', 'D']), { size: 100, credits: 30 })).toEqual([['D'], ['C']]);
  });

  it('survives a cycle in the hierarchy', () => {
    const cyclic = [
      { repId: 'X', managerId: 'Y' },
      { repId: 'Y', managerId: 'X' },
    ];
    expect(planShards(cyclic, new Map(), new Set(['X', 'Y']), { size: 10, credits: 10 })).toEqual([['X', 'Y']]);
  });
});

describe('incremental planning', () => {
  const snapshot = (o: Partial<InputSnapshot> = {}): InputSnapshot => ({
    reps: [['A', 'M', '2025-01-01', null, 'USD'], ['M', null, '2025-01-01', null, 'USD']],
    assignments: [['A', 'ae-2026', '2026-01-01', null, '1200000', '120000', '100000']],
    fx: [['2026-01-01', 'EUR', 'USD', '1.1']],
    plans: ['h1'],
    adjustments: [],
    ...o,
  });

  it('nothing changed: nobody', () => expect(payeesChangedBetween(snapshot(), snapshot())).toEqual(new Set()));

  it('an assignment or an adjustment changed: that payee', () => {
    const moved = snapshot({ assignments: [['A', 'ae-2026', '2026-01-01', null, '1300000', '120000', '100000']] });
    expect(payeesChangedBetween(snapshot(), moved)).toEqual(new Set(['A']));
    const adjusted = snapshot({ adjustments: [['7', 'M', '10.00', 'other', 'note', null, null]] });
    expect(payeesChangedBetween(snapshot(), adjusted)).toEqual(new Set(['M']));
  });

  it('plans, FX or reps changed: everyone (null)', () => {
    expect(payeesChangedBetween(snapshot(), snapshot({ plans: ['h2'] }))).toBeNull();
    expect(payeesChangedBetween(snapshot(), snapshot({ fx: [] }))).toBeNull();
    expect(payeesChangedBetween(snapshot(), snapshot({ reps: [] }))).toBeNull();
  });

  it("a changed payee brings their direct manager (the manager's override reads their bookings)", () => {
    expect(affectedBy(['A'], new Set(['directReports']), { managerOf: new Map<string, string | null>([['A', 'M'], ['M', null]]) })).toEqual(new Set(['A', 'M']));
  });

  it('with plans that read the reporting tree or the team: every manager up the tree, and the whole team', () => {
    // T manages M; M manages A and B; A manages C
    const h = { managerOf: new Map<string, string | null>([['T', null], ['M', 'T'], ['A', 'M'], ['B', 'M'], ['C', 'A']]) };
    expect(affectedBy(['C'], new Set(['directReports', 'reportingTree']), h)).toEqual(new Set(['C', 'A', 'M', 'T']));
    expect(affectedBy(['A'], new Set(['team']), h)).toEqual(new Set(['A', 'B']));
    // and the other way round: whose bookings a shard of M loads
    expect(readersOf(['M'], new Set(['directReports']), h)).toEqual(new Set(['M', 'A', 'B']));
    expect(readersOf(['M'], new Set(['reportingTree']), h)).toEqual(new Set(['M', 'A', 'B', 'C']));
    expect(readersOf(['B'], new Set(['team']), h)).toEqual(new Set(['B', 'A']));
  });
});

import { DemoGenerator } from '../../src/core/demo/generate-demo';
import { validateBookingsCsv } from '../../src/core/intake/booking-intake';

describe('demo generate', () => {
  const build = (seed: number) => new DemoGenerator({ payees: 40, bookings: 500, seed });

  it('is reproducible: the same seed gives the same rows, another seed other rows', () => {
    expect([...build(1).bookingRows()]).toEqual([...build(1).bookingRows()]);
    expect([...build(1).bookingRows()]).not.toEqual([...build(2).bookingRows()]);
  });

  it('writes exactly the requested booking rows, splits summing to 100%, with hires, leavers and cancellations', () => {
    const g = build(3);
    const rows = [...g.bookingRows()].slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(500);
    const splits = new Map<string, number>();
    for (const r of rows) splits.set(r[0], (splits.get(r[0]) ?? 0) + Number(r[2]));
    expect([...splits.values()].every((s) => s === 100)).toBe(true);
    expect([...splits.keys()].length).toBeLessThan(500); // some bookings are split
    expect(rows.some((r) => r[10] !== '')).toBe(true);
    expect(g.reps.some((r) => r.hire >= '2026-01-01')).toBe(true);
    expect(new Set(rows.map((r) => r[7]))).toEqual(new Set(['USD', 'EUR', 'GBP']));
  });

  it('produces a bookings file the intake accepts', () => {
    const g = build(4);
    const csv = [...g.bookingRows()].join('\n');
    const reps = new Set(g.reps.map((r) => r.id));
    const result = validateBookingsCsv(csv, 'bookings.csv', { repExists: (id) => reps.has(id) });
    expect(result.errors).toEqual([]);
  });
});

import { EntityManager } from 'typeorm';
import { HASH_VERSION } from '../core/calculation/result-hash';
import { Period } from '../core/calendar/dates';
import { payeesChangedBetween } from './calc-planning';
import { affectedBy } from '../core/calculation/teams';
import { CreditSource } from '../core/plans/plan-types';
import { CalcInputsRepository } from './calc-inputs.repository';
import { PayoutsRepository } from './payouts.repository';
import { CurrentRunBasis, RunsRepository } from './runs.repository';
import type { InputSnapshot } from './input-snapshot';

export interface IncrementalPlan {
  /** The payees to recalculate. */
  dirty: Set<string>;
  /** Per period, the run whose results the other payees keep. */
  oldRuns: Map<Period, string>;
}

/**
 * Incremental recalculation: when every period being recalculated has a committed current run computed on the
 * same plans and FX, on top of the same earlier results (chain of result hashes), only the payees whose own facts
 * changed are recalculated: credited on a booking version imported since (or on the version it replaced), reps or
 * assignment rows changed, adjustments changed, and the direct managers of those (overrides read reports'
 * bookings). Everyone else's results are copied. Null when a full recalculation is needed (or cheaper).
 */
export async function planIncremental(
  em: EntityManager,
  repos: { runs: RunsRepository; payouts: PayoutsRepository },
  runs: { period: Period; snapshot: InputSnapshot }[],
  allReps: string[],
  managerOf: Map<string, string | null>,
  watermark: string,
  /** Team sources the plans read: a changed booking also moves its rep's managers up the tree, or its team. */
  sources: Set<CreditSource> = new Set(),
  /** A plan credits renewals on their uplift: a changed contract moves the payees of the renewals that renew it. */
  uplift = false,
): Promise<IncrementalPlan | null> {
  const old = await repos.runs.currentRunsOf(em, runs.map((r) => r.period), HASH_VERSION);
  const byPeriod = new Map<string, CurrentRunBasis>(old.map((o) => [o.period, o]));
  if (runs.some((r) => !byPeriod.get(r.period)?.bookingWatermark || !byPeriod.get(r.period)?.priorHashes)) return null;
  // The runs the recalculated periods build on: current runs before the range, then the old runs being replaced.
  const before = await repos.runs.currentRunsBefore(runs[0].period, em);
  const basis = new Map<string, { id: string; hash: string }>(before.map((b) => [b.period, { id: b.id, hash: b.resultHash }]));
  const dirty = new Set<string>();
  const compared = new Set<string>();
  let minWatermark = BigInt(watermark);
  for (const r of runs) {
    const o = byPeriod.get(r.period) as CurrentRunBasis & { bookingWatermark: string; priorHashes: [string, string, string][] };
    const recorded = new Map(o.priorHashes.map(([period, id, hash]) => [period, { id, hash }]));
    if (recorded.size !== basis.size) return null;
    for (const [period, now] of basis) {
      const then = recorded.get(period);
      if (!then) return null;
      if (then.hash === now.hash || compared.has(`${then.id}:${now.id}`)) continue;
      // An earlier period was recalculated since: the payees whose results there changed read another prior.
      compared.add(`${then.id}:${now.id}`);
      if ((await repos.payouts.unhashedCount(em, then.id, now.id)) > 0) return null; // runs from before payee hashes: cannot tell who changed
      for (const id of await repos.payouts.payeesDiffering(em, then.id, now.id)) dirty.add(id);
    }
    basis.set(r.period, { id: o.id, hash: o.resultHash });
    const changed = payeesChangedBetween(o.snapshot, r.snapshot);
    if (!changed) return null;
    for (const id of changed) dirty.add(id);
    if (BigInt(o.bookingWatermark) < minWatermark) minWatermark = BigInt(o.bookingWatermark);
  }
  const facts = CalcInputsRepository.of(em);
  for (const id of await facts.payeesOfBookingsChanged(watermark, minWatermark.toString())) dirty.add(id);
  if (uplift) {
    for (const id of await facts.payeesOfRenewalsOfChanged(watermark, minWatermark.toString())) dirty.add(id);
  }
  const all = affectedBy(dirty, new Set<CreditSource>([...sources, 'directReports']), { managerOf });
  // Past a third of the payees, recalculating everyone is as fast and simpler to reason about.
  if (all.size * 3 > allReps.length) return null;
  return { dirty: all, oldRuns: new Map(runs.map((r) => [r.period, (byPeriod.get(r.period) as { id: string }).id])) };
}

import { EntityManager } from 'typeorm';
import { HASH_VERSION } from '../core/calculation/result-hash';
import { Period } from '../core/calendar/dates';
import { payeesChangedBetween } from './calc-planning';
import { affectedBy } from '../core/calculation/teams';
import { CreditSource } from '../core/plans/plan-types';
import type { InputSnapshot } from './shard-runner';

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
  runs: { period: Period; snapshot: InputSnapshot }[],
  allReps: string[],
  managerOf: Map<string, string | null>,
  watermark: string,
  /** Team sources the plans read: a changed booking also moves its rep's managers up the tree, or its team. */
  sources: Set<CreditSource> = new Set(),
  /** A plan credits renewals on their uplift: a changed contract moves the payees of the renewals that renew it. */
  uplift = false,
): Promise<IncrementalPlan | null> {
  const old = await em.query(
    `SELECT id::text AS id, period, snapshot, booking_watermark::text AS watermark, result_hash, inputs->'priorHashes' AS prior
       FROM current_runs WHERE period = ANY($1::text[]) AND committed AND hash_version = $2`,
    [runs.map((r) => r.period), HASH_VERSION],
  );
  type OldRun = { id: string; snapshot: InputSnapshot; watermark: string | null; result_hash: string; prior: [string, string, string][] | null };
  const byPeriod = new Map<string, OldRun>(old.map((o: OldRun & { period: string }) => [o.period, o]));
  if (runs.some((r) => !byPeriod.get(r.period)?.watermark || !byPeriod.get(r.period)?.prior)) return null;
  // The runs the recalculated periods build on: current runs before the range, then the old runs being replaced.
  const before = await em.query(
    `SELECT period, id::text AS id, result_hash FROM current_runs WHERE period < $1 ORDER BY period`,
    [runs[0].period],
  );
  const basis = new Map<string, { id: string; hash: string }>(before.map((b: { period: string; id: string; result_hash: string }) => [b.period, { id: b.id, hash: b.result_hash }]));
  const dirty = new Set<string>();
  const compared = new Set<string>();
  let minWatermark = BigInt(watermark);
  for (const r of runs) {
    const o = byPeriod.get(r.period) as OldRun & { watermark: string; prior: [string, string, string][] };
    const recorded = new Map(o.prior.map(([period, id, hash]) => [period, { id, hash }]));
    if (recorded.size !== basis.size) return null;
    for (const [period, now] of basis) {
      const then = recorded.get(period);
      if (!then) return null;
      if (then.hash === now.hash || compared.has(`${then.id}:${now.id}`)) continue;
      // An earlier period was recalculated since: the payees whose results there changed read another prior.
      compared.add(`${then.id}:${now.id}`);
      const [{ unhashed }] = await em.query(`SELECT count(*)::int AS unhashed FROM payouts WHERE run_id IN ($1, $2) AND payee_hash IS NULL`, [then.id, now.id]);
      if (unhashed > 0) return null; // runs from before payee hashes: cannot tell who changed
      const moved = await em.query(
        `SELECT coalesce(a.rep_id, b.rep_id) AS rep_id
           FROM (SELECT rep_id, payee_hash FROM payouts WHERE run_id = $1) a FULL JOIN (SELECT rep_id, payee_hash FROM payouts WHERE run_id = $2) b ON a.rep_id = b.rep_id
          WHERE a.payee_hash IS DISTINCT FROM b.payee_hash`,
        [then.id, now.id],
      );
      for (const m of moved) dirty.add(m.rep_id);
    }
    basis.set(r.period, { id: o.id, hash: o.result_hash });
    const changed = payeesChangedBetween(o.snapshot, r.snapshot);
    if (!changed) return null;
    for (const id of changed) dirty.add(id);
    if (BigInt(o.watermark) < minWatermark) minWatermark = BigInt(o.watermark);
  }
  const changed = await em.query(
    `SELECT DISTINCT c.rep_id FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
      WHERE v.id <= $1::bigint AND (v.id > $2::bigint OR (v.superseded_by IS NOT NULL AND v.superseded_by > $2::bigint AND v.superseded_by <= $1::bigint))`,
    [watermark, minWatermark.toString()],
  );
  for (const c of changed) dirty.add(c.rep_id);
  if (uplift) {
    const renewing = await em.query(
      `SELECT DISTINCT c.rep_id FROM booking_versions r JOIN booking_credits c ON c.booking_version_id = r.id
        WHERE r.renews_booking_id IS NOT NULL AND r.id <= $1::bigint AND (r.superseded_by IS NULL OR r.superseded_by > $1::bigint)
          AND r.renews_booking_id IN (
            SELECT v.booking_id FROM booking_versions v
             WHERE v.id <= $1::bigint AND (v.id > $2::bigint OR (v.superseded_by IS NOT NULL AND v.superseded_by > $2::bigint AND v.superseded_by <= $1::bigint)))`,
      [watermark, minWatermark.toString()],
    );
    for (const c of renewing) dirty.add(c.rep_id);
  }
  const all = affectedBy(dirty, new Set<CreditSource>([...sources, 'directReports']), { managerOf });
  // Past a third of the payees, recalculating everyone is as fast and simpler to reason about.
  if (all.size * 3 > allReps.length) return null;
  return { dirty: all, oldRuns: new Map(runs.map((r) => [r.period, (byPeriod.get(r.period) as { id: string }).id])) };
}

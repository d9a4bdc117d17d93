import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period, periodOf } from '../core/calendar/dates';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';

export type PeriodStatus = 'open' | 'calculated' | 'approved' | 'closed';

/**
 * Reads and writes of calculation runs and periods that decide a period's state: which run is current, whether it
 * is stale, the first period anything can be earned in, and the one rule that makes later results stale.
 */
/** A period's lifecycle status and its current run: whether that run is stale, and when it was calculated (UTC). */
export interface RunStatus {
  status: PeriodStatus;
  runId: string | null;
  stale: boolean;
  calculatedAt: string | null;
}

@Injectable()
export class RunsRepository {
  constructor(private readonly db: Db) {}

  /** A period's status, its current run (committed, not superseded) and whether that run is stale. */
  async status(period: Period, em: EntityManager = this.db.manager): Promise<RunStatus> {
    const [row] = await em.query(
      `SELECT p.status, r.id::text AS run_id, coalesce(r.stale, false) AS stale,
              to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS calculated_at
         FROM (SELECT $1::text AS period) x
         LEFT JOIN periods p ON p.period = x.period
         LEFT JOIN current_runs r ON r.period = x.period`,
      [period],
    );
    return { status: (row?.status as PeriodStatus) ?? 'open', runId: row?.run_id ?? null, stale: Boolean(row?.stale), calculatedAt: row?.calculated_at ?? null };
  }

  /** The first month anything can be earned: the earliest assignment start. */
  async firstPeriod(em: EntityManager = this.db.manager): Promise<Period | null> {
    const [row] = await em.query(`SELECT min(start_date)::text AS first FROM plan_assignments`);
    return row?.first ? periodOf(row.first) : null;
  }

  /**
   * The one staleness rule: the current runs of the periods after `period` (and of `period` itself when
   * `inclusive`) read results that changed, so they go stale, and an approved one falls back to calculated. Closed
   * periods never change. Returns the periods made stale.
   */
  async markStale(em: EntityManager, period: Period, inclusive: boolean): Promise<Period[]> {
    const stale = returnedRows<{ period: string }>(
      await em.query(
        `UPDATE calculation_runs r SET stale = true
          WHERE r.id IN (SELECT c.id FROM current_runs c
                          WHERE (c.period > $1 OR ($2 AND c.period = $1)) AND NOT c.stale
                            AND NOT EXISTS (SELECT 1 FROM periods p WHERE p.period = c.period AND p.status = 'closed'))
          RETURNING r.period`,
        [period, inclusive],
      ),
    ).map((r) => r.period);
    if (stale.length) {
      await em.query(`UPDATE periods SET status = 'calculated', approved_at = NULL, approved_by = NULL, updated_at = now() WHERE period = ANY($1) AND status = 'approved'`, [stale]);
    }
    return stale;
  }

  /**
   * Deletes the runs left pending by a close that died (with the calculation queue, pending runs and their shards'
   * payouts are committed as they go). Call it holding the lifecycle lock: then no live close owns a pending run.
   * They were never current and nothing refers to them; the database allows deleting exactly these rows (migration
   * 1768176000000-orphan-runs). Shard jobs still queued for them find them gone and do nothing (CalcQueue.process).
   */
  async removeOrphans(em: EntityManager): Promise<{ runId: string; period: string; payouts: number }[]> {
    const orphans: { id: string; period: string; payouts: number }[] = await em.query(
      `SELECT r.id::text AS id, r.period, (SELECT count(*)::int FROM payouts p WHERE p.run_id = r.id) AS payouts
         FROM calculation_runs r WHERE NOT r.committed ORDER BY r.id FOR UPDATE OF r`,
    );
    if (!orphans.length) return [];
    const ids = orphans.map((o) => o.id);
    await em.query(`DELETE FROM payout_lines WHERE run_id = ANY($1::bigint[])`, [ids]);
    await em.query(`DELETE FROM payouts WHERE run_id = ANY($1::bigint[])`, [ids]);
    await em.query(`DELETE FROM calculation_runs WHERE id = ANY($1::bigint[])`, [ids]);
    return orphans.map((o) => ({ runId: o.id, period: o.period, payouts: o.payouts }));
  }

  /** Makes a pending run the period's current run (superseding the one before), and the period calculated. */
  async makeCurrent(em: EntityManager, period: Period, runId: string): Promise<{ replaced: string | null }> {
    const [old] = await em.query(`SELECT id::text AS id FROM current_runs WHERE period = $1`, [period]);
    if (old) await em.query(`UPDATE calculation_runs SET superseded_by = $1 WHERE id = $2`, [runId, old.id]);
    await em.query(`UPDATE calculation_runs SET superseded_by = NULL, committed = true WHERE id = $1`, [runId]);
    await em.query(
      `INSERT INTO periods (period, status, current_run_id) VALUES ($1, 'calculated', $2)
       ON CONFLICT (period) DO UPDATE SET status = 'calculated', current_run_id = EXCLUDED.current_run_id, updated_at = now()`,
      [period, runId],
    );
    return { replaced: old?.id ?? null };
  }

  /** The current runs of the periods before `period`, oldest first: what a run of `period` builds on. */
  async currentRunsBefore(em: EntityManager, period: Period): Promise<{ period: Period; id: string; resultHash: string }[]> {
    const rows = await em.query(`SELECT period, id::text AS id, result_hash FROM current_runs WHERE period < $1 ORDER BY period`, [period]);
    return rows.map((r: { period: string; id: string; result_hash: string }) => ({ period: r.period, id: r.id, resultHash: r.result_hash }));
  }
}

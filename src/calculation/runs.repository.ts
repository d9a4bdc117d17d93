import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period, periodOf } from '../core/calendar/dates';
import { Db } from '../infra/db.service';

export type PeriodStatus = 'open' | 'calculated' | 'approved' | 'closed';

/** Rows of one statement's result (node-pg returns them as they are; PGlite returns [rows, count] for UPDATE … RETURNING). */
function rowsOf<T>(res: unknown): T[] {
  const r = res as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}

/**
 * Reads and writes of calculation runs and periods that decide a period's state: which run is current, whether it
 * is stale, the first period anything can be earned in, and the one rule that makes later results stale.
 */
@Injectable()
export class RunsRepository {
  constructor(private readonly db: Db) {}

  /** A period's status, its current run (committed, not superseded) and whether that run is stale. */
  async status(period: Period, em: EntityManager = this.db.manager): Promise<{ status: PeriodStatus; runId: string | null; stale: boolean }> {
    const [row] = await em.query(
      `SELECT p.status, r.id::text AS run_id, coalesce(r.stale, false) AS stale
         FROM (SELECT $1::char(7) AS period) x
         LEFT JOIN periods p ON p.period = x.period
         LEFT JOIN calculation_runs r ON r.period = x.period AND r.superseded_by IS NULL`,
      [period],
    );
    return { status: (row?.status as PeriodStatus) ?? 'open', runId: row?.run_id ?? null, stale: Boolean(row?.stale) };
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
    const stale = rowsOf<{ period: string }>(
      await em.query(
        `UPDATE calculation_runs r SET stale = true
          WHERE (r.period > $1 OR ($2 AND r.period = $1)) AND r.superseded_by IS NULL AND NOT r.stale
            AND NOT EXISTS (SELECT 1 FROM periods p WHERE p.period = r.period AND p.status = 'closed')
          RETURNING r.period`,
        [period, inclusive],
      ),
    ).map((r) => r.period);
    if (stale.length) {
      await em.query(`UPDATE periods SET status = 'calculated', approved_at = NULL, approved_by = NULL, updated_at = now() WHERE period = ANY($1) AND status = 'approved'`, [stale]);
    }
    return stale;
  }

  /** Makes a pending run the period's current run (superseding the one before), and the period calculated. */
  async makeCurrent(em: EntityManager, period: Period, runId: string): Promise<{ replaced: string | null }> {
    const [old] = await em.query(`SELECT id::text AS id FROM calculation_runs WHERE period = $1 AND superseded_by IS NULL`, [period]);
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
    const rows = await em.query(`SELECT period, id::text AS id, result_hash FROM calculation_runs WHERE superseded_by IS NULL AND period < $1 ORDER BY period`, [period]);
    return rows.map((r: { period: string; id: string; result_hash: string }) => ({ period: r.period.trim(), id: r.id, resultHash: r.result_hash.trim() }));
  }
}

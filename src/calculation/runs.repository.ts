import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period, periodOf } from '../core/calendar/dates';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';
import type { InputSnapshot } from './input-snapshot';

export type PeriodStatus = 'open' | 'calculated' | 'approved' | 'closed';

/** One advisory lock serialises every lifecycle mutation (calculate, approve, close, adjust) across processes. */
export const LIFECYCLE_LOCK = 727_001;

/** A period's lifecycle status and its current run: whether that run is stale, and when it was calculated (UTC). */
export interface RunStatus {
  status: PeriodStatus;
  runId: string | null;
  stale: boolean;
  calculatedAt: string | null;
}

/** A run to store before its shards are calculated: pending, so no reader takes it for the current run yet. */
export interface PendingRun {
  period: Period;
  /** The placeholder of both hashes until the run is committed. */
  pendingHash: string;
  snapshot: InputSnapshot;
  bookingWatermark: string;
  actor: string;
  hashVersion: number;
}

/** What a calculated run came to, recorded before it is made current. */
export interface RunResult {
  inputsHash: string;
  resultHash: string;
  payeeCount: number;
  /** The plain sum of the run's payouts (2 decimals). */
  totalPayout: string;
  /** What the run read, in summary (plans, booking watermark, adjustments, the prior result hashes). */
  inputs: unknown;
}

/** A current run an incremental recalculation may build on. */
export interface CurrentRunBasis {
  id: string;
  period: Period;
  snapshot: InputSnapshot;
  bookingWatermark: string | null;
  resultHash: string;
  /** [period, runId, resultHash] of the current runs it was calculated on (null in runs from before they were kept). */
  priorHashes: [string, string, string][] | null;
}

/** A stored run as `verify` recalculates it. */
export interface StoredRun {
  period: Period;
  resultHash: string;
  inputsHash: string;
  snapshot: InputSnapshot;
  /** The booking versions it read, for runs from before booking watermarks. */
  bookingVersionIds: string[] | null;
  bookingWatermark: string | null;
  hashVersion: number;
}

/**
 * The calculation_runs and periods tables: which run is current, whether it is stale, the first period anything can
 * be earned in, the one rule that makes later results stale, a run's life from pending to current, and the locks
 * that serialise calculations.
 */
@Injectable()
export class RunsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes the lifecycle lock for the transaction of `em`. Static: every module's lifecycle mutations take it
   * (through PeriodLifecycle.lock), whatever they inject.
   */
  static async lockLifecycle(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [LIFECYCLE_LOCK]);
  }

  /**
   * Makes processes installing the calculation queue (pg-boss's schema and queue) take turns, until the transaction
   * of `em` ends.
   */
  async lockQueueInstall(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('commission-engine:pg-boss-install'))`);
  }

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

  /** The latest closed period, or null when none is: in the caller's transaction, or queued behind the store's. */
  async lastClosed(em?: EntityManager): Promise<Period | null> {
    const [row] = await this.db.reader(em)<{ period: string | null }>(`SELECT max(period) AS period FROM periods WHERE status = 'closed'`);
    return row?.period ?? null;
  }

  /** The latest period approved or closed (they are a prefix), or null when none is. */
  async lastFrozenPeriod(em: EntityManager = this.db.manager): Promise<Period | null> {
    const [row] = await em.query(`SELECT max(period) AS period FROM periods WHERE status IN ('approved', 'closed')`);
    return row?.period ? String(row.period) : null;
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

  /**
   * The current runs of the periods before `period`, oldest first: what a run of `period` builds on (their result
   * hashes are part of its inputs' fingerprint). In the caller's transaction (`em`), or on its own.
   */
  async currentRunsBefore(period: Period, em?: EntityManager): Promise<{ period: Period; id: string; resultHash: string }[]> {
    const rows = await this.db.reader(em)<{ period: string; id: string; result_hash: string }>(
      `SELECT period, id::text AS id, result_hash FROM current_runs WHERE period < $1 ORDER BY period`,
      [period],
    );
    return rows.map((r) => ({ period: r.period, id: r.id, resultHash: r.result_hash }));
  }

  /** The committed current runs of `periods` hashed with `hashVersion`: what an incremental recalculation builds on. */
  async currentRunsOf(em: EntityManager, periods: Period[], hashVersion: number): Promise<CurrentRunBasis[]> {
    const rows: { id: string; period: string; snapshot: InputSnapshot; watermark: string | null; result_hash: string; prior: [string, string, string][] | null }[] = await em.query(
      `SELECT id::text AS id, period, snapshot, booking_watermark::text AS watermark, result_hash, inputs->'priorHashes' AS prior
         FROM current_runs WHERE period = ANY($1::text[]) AND committed AND hash_version = $2`,
      [periods, hashVersion],
    );
    return rows.map((r) => ({ id: r.id, period: r.period, snapshot: r.snapshot, bookingWatermark: r.watermark, resultHash: r.result_hash, priorHashes: r.prior }));
  }

  /**
   * Stores a pending run and returns its id. It points at itself (superseded_by = id), so no reader takes it for the
   * current run until it is committed.
   */
  async insertPending(em: EntityManager, run: PendingRun): Promise<string> {
    const [row] = returnedRows<{ id: string }>(
      await em.query(
        `WITH n AS (SELECT nextval(pg_get_serial_sequence('calculation_runs', 'id')) AS id)
         INSERT INTO calculation_runs (id, superseded_by, period, inputs_hash, result_hash, inputs, snapshot, booking_watermark, payee_count, total_payout, actor, committed, hash_version)
         SELECT n.id, n.id, $1, $2, $2, '{}'::jsonb, $3, $4, 0, 0, $5, false, $6 FROM n RETURNING id::text AS id`,
        [run.period, run.pendingHash, JSON.stringify(run.snapshot), run.bookingWatermark, run.actor, run.hashVersion],
      ),
    );
    return row.id;
  }

  /** Records a pending run's hashes and totals, before it is made current. */
  async recordResult(em: EntityManager, runId: string, r: RunResult): Promise<void> {
    await em.query(
      `UPDATE calculation_runs SET inputs_hash = $2, result_hash = $3, payee_count = $4, total_payout = $5, inputs = $6 WHERE id = $1`,
      [runId, r.inputsHash, r.resultHash, r.payeeCount, r.totalPayout, JSON.stringify(r.inputs)],
    );
  }

  /**
   * How many of `runIds` are still pending, each locked FOR SHARE until the transaction of `em` ends (so no close
   * removes them meanwhile).
   */
  async lockPending(em: EntityManager, runIds: string[]): Promise<number> {
    const rows = await em.query(`SELECT id FROM calculation_runs WHERE id = ANY($1::bigint[]) AND NOT committed FOR SHARE`, [runIds]);
    return rows.length;
  }

  /** A run's input snapshot, or null when there is no such run. */
  async snapshotOf(em: EntityManager, runId: string): Promise<InputSnapshot | null> {
    const [row] = await em.query(`SELECT snapshot FROM calculation_runs WHERE id = $1`, [runId]);
    return (row as { snapshot: InputSnapshot } | undefined)?.snapshot ?? null;
  }

  /** The adjustments each run's snapshot recorded, by run id. */
  async adjustmentsOf(em: EntityManager, runIds: string[]): Promise<Map<string, InputSnapshot['adjustments']>> {
    const rows: { id: string; adjustments: InputSnapshot['adjustments'] }[] = await em.query(
      `SELECT id::text AS id, snapshot->'adjustments' AS adjustments FROM calculation_runs WHERE id = ANY($1::bigint[])`,
      [runIds],
    );
    return new Map(rows.map((r) => [r.id, r.adjustments]));
  }

  /** A stored run as `verify` reads it (on its own, behind `Db`'s queue), or null when there is no such run. */
  async stored(runId: string): Promise<StoredRun | null> {
    const [row] = await this.db.query<{ period: string; result_hash: string; inputs_hash: string; snapshot: InputSnapshot; ids: string[] | null; watermark: string | null; hash_version: number }>(
      `SELECT period, result_hash, inputs_hash, snapshot, booking_version_ids::text[] AS ids, booking_watermark::text AS watermark, hash_version FROM calculation_runs WHERE id = $1`,
      [runId],
    );
    if (!row) return null;
    return {
      period: row.period,
      resultHash: row.result_hash,
      inputsHash: row.inputs_hash,
      snapshot: row.snapshot,
      bookingVersionIds: row.ids,
      bookingWatermark: row.watermark,
      hashVersion: Number(row.hash_version),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { PeriodStatus } from '../calculation/runs.repository';
import { Period } from '../core/calendar/dates';
import { CurrencyTotals } from '../core/money/currency-totals';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';

/** A period with its current run: payouts are added up per currency, never across currencies. */
export interface PeriodState {
  period: string;
  status: PeriodStatus;
  runId: string | null;
  stale: boolean;
  /** The current run's payouts per currency, in currency order; null when the period has no run. */
  payoutTotals: CurrencyTotals | null;
  payees: number | null;
  resultHash: string | null;
  approvedAt: Date | null;
  approvedBy: string | null;
  closedAt: Date | null;
  closedBy: string | null;
}

export interface PeriodDetail extends PeriodState {
  inputsHash: string | null;
}

/** A payee's payout in two runs of a period; amounts keep their currency's scale. */
export interface PayoutChange {
  repId: string;
  currency: string;
  before: string;
  after: string;
  change: string;
}

export interface DiffLine extends PayoutChange {
  /** The line's identity (component window | reference), for machines; `description` says it for people. */
  key: string;
  kind: string;
  /** The line in words (the newer run's, else the older run's), from the engine's one wording module. */
  description: string;
}

/** One row of the payroll export: a payee's non-zero payout of a closed period. */
export interface ExportRow {
  repId: string;
  period: string;
  currency: string;
  amount: string;
  reference: string;
}

interface PeriodRow {
  period: string;
  status: PeriodStatus;
  run_id: string | null;
  stale: boolean;
  payout_totals: CurrencyTotals | null;
  payees: number | null;
  inputs_hash?: string | null;
  result_hash: string | null;
  approved_at: Date | null;
  approved_by: string | null;
  closed_at: Date | null;
  closed_by: string | null;
}

interface ChangeRow {
  rep_id: string;
  currency: string;
  before: string;
  after: string;
  change: string;
}

/** A run's payouts added up per currency, as [{currency, amount}] in currency order (the run is `r`). */
const PAYOUT_TOTALS = `(SELECT coalesce(jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount) ORDER BY t.currency), '[]'::jsonb)
     FROM (SELECT py.currency, sum(py.payout)::text AS amount FROM payouts py WHERE py.run_id = r.id GROUP BY py.currency) t)`;

const toState = (r: PeriodRow): PeriodState => ({
  period: r.period,
  status: r.status,
  runId: r.run_id,
  stale: r.stale,
  payoutTotals: r.payout_totals,
  payees: r.payees,
  resultHash: r.result_hash,
  approvedAt: r.approved_at,
  approvedBy: r.approved_by,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
});

/**
 * Periods and what their runs paid, as the monthly close reads them: the status changes of approve and close, the
 * comparison of a period's last two runs, and the payroll export's rows.
 */
@Injectable()
export class PeriodRunsRepository {
  constructor(private readonly db: Db) {}

  /** Every period with its current run, in period order. */
  async all(): Promise<PeriodState[]> {
    const rows = await this.db.query<PeriodRow>(
      `SELECT p.period, p.status, r.id::text AS run_id, coalesce(r.stale, false) AS stale,
              CASE WHEN r.id IS NULL THEN NULL ELSE ${PAYOUT_TOTALS} END AS payout_totals, r.payee_count AS payees,
              r.result_hash, p.approved_at, p.approved_by, p.closed_at, p.closed_by
         FROM periods p LEFT JOIN current_runs r ON r.period = p.period
        ORDER BY p.period`,
    );
    return rows.map(toState);
  }

  /** One period (open when it has no row) with its current run and that run's hashes. */
  async one(p: Period): Promise<PeriodDetail> {
    const [row] = await this.db.query<PeriodRow>(
      `SELECT x.period, coalesce(p.status, 'open') AS status, r.id::text AS run_id, coalesce(r.stale, false) AS stale,
              CASE WHEN r.id IS NULL THEN NULL ELSE ${PAYOUT_TOTALS} END AS payout_totals,
              r.payee_count AS payees, r.inputs_hash, r.result_hash, p.approved_at, p.approved_by, p.closed_at, p.closed_by
         FROM (SELECT $1::text AS period) x
         LEFT JOIN periods p ON p.period = x.period
         LEFT JOIN current_runs r ON r.period = x.period`,
      [p],
    );
    return { ...toState(row), inputsHash: row.inputs_hash ?? null };
  }

  /** A period's status, current run and result hash, read in the caller's transaction. */
  async result(em: EntityManager, p: Period): Promise<{ status: PeriodStatus; runId: string | null; resultHash: string | null }> {
    const [row] = await em.query(
      `SELECT coalesce(p.status, 'open') AS status, r.id::text AS run_id, r.result_hash FROM (SELECT $1::text AS period) x
         LEFT JOIN periods p ON p.period = x.period LEFT JOIN current_runs r ON r.period = x.period`,
      [p],
    );
    return { status: row.status, runId: row.run_id ?? null, resultHash: row.result_hash ?? null };
  }

  /** calculated → approved; false when the period was not calculated (nothing changed). */
  async approve(em: EntityManager, p: Period, by: string): Promise<boolean> {
    const res = await em.query(
      `UPDATE periods SET status = 'approved', approved_at = now(), approved_by = $2, updated_at = now() WHERE period = $1 AND status = 'calculated' RETURNING period`,
      [p, by],
    );
    return returnedRows(res).length > 0;
  }

  /** approved → closed; false when the period was not approved (nothing changed). */
  async close(em: EntityManager, p: Period, by: string): Promise<boolean> {
    const res = await em.query(
      `UPDATE periods SET status = 'closed', closed_at = now(), closed_by = $2, updated_at = now() WHERE period = $1 AND status = 'approved' RETURNING period`,
      [p, by],
    );
    return returnedRows(res).length > 0;
  }

  /** The ids of the period's last two committed runs, newest first (fewer when it was calculated less often). */
  async lastRuns(p: Period): Promise<string[]> {
    const runs = await this.db.query<{ id: string }>(`SELECT id::text AS id FROM calculation_runs WHERE period = $1 AND committed ORDER BY id DESC LIMIT 2`, [p]);
    return runs.map((r) => r.id);
  }

  /**
   * The payouts that differ between run `to` and run `from` (null: none before), by payee. A missing side is zero in
   * the other side's scale (x * 0), and the change is a numeric difference, so a JPY change reads "-1" and a BHD one
   * "0.001".
   */
  async payoutChanges(to: string, from: string | null): Promise<PayoutChange[]> {
    const rows = await this.db.query<ChangeRow>(
      `SELECT coalesce(a.rep_id, b.rep_id) AS rep_id, coalesce(a.currency, b.currency) AS currency,
              coalesce(b.payout, a.payout * 0)::text AS before, coalesce(a.payout, b.payout * 0)::text AS after,
              (coalesce(a.payout, b.payout * 0) - coalesce(b.payout, a.payout * 0))::text AS change
         FROM (SELECT rep_id, currency, payout FROM payouts WHERE run_id = $1) a
         FULL JOIN (SELECT rep_id, currency, payout FROM payouts WHERE run_id = $2) b ON a.rep_id = b.rep_id
        WHERE a.payout IS DISTINCT FROM b.payout ORDER BY 1`,
      [to, from],
    );
    return rows.map((r) => ({ repId: r.rep_id, currency: r.currency, before: r.before, after: r.after, change: r.change }));
  }

  /** The lines (summed by payee, kind and identity) that differ between run `to` and run `from`, scaled as the payouts. */
  async lineChanges(to: string, from: string | null): Promise<DiffLine[]> {
    const rows = await this.db.query<ChangeRow & { key: string; kind: string; description: string }>(
      `WITH a AS (SELECT rep_id, kind, coalesce(component_key, '') || '|' || coalesce(ref, '') AS key, sum(amount) AS amount,
                         (array_agg(description ORDER BY line_no))[1] AS description
                    FROM run_lines WHERE run_id = $1 GROUP BY 1, 2, 3),
            b AS (SELECT rep_id, kind, coalesce(component_key, '') || '|' || coalesce(ref, '') AS key, sum(amount) AS amount,
                         (array_agg(description ORDER BY line_no))[1] AS description
                    FROM run_lines WHERE run_id = $2 GROUP BY 1, 2, 3)
       SELECT coalesce(a.rep_id, b.rep_id) AS rep_id, coalesce(a.key, b.key) AS key, coalesce(a.kind, b.kind) AS kind,
              coalesce(a.description, b.description) AS description,
              (SELECT py.currency FROM payouts py WHERE py.run_id IN ($1, $2) AND py.rep_id = coalesce(a.rep_id, b.rep_id) LIMIT 1) AS currency,
              coalesce(b.amount, a.amount * 0)::text AS before, coalesce(a.amount, b.amount * 0)::text AS after,
              (coalesce(a.amount, b.amount * 0) - coalesce(b.amount, a.amount * 0))::text AS change
         FROM a FULL JOIN b ON a.rep_id = b.rep_id AND a.key = b.key AND a.kind = b.kind
        WHERE a.amount IS DISTINCT FROM b.amount ORDER BY 1, 2, 3`,
      [to, from],
    );
    return rows.map((l) => ({ repId: l.rep_id, key: l.key, kind: l.kind, description: l.description, currency: l.currency, before: l.before, after: l.after, change: l.change }));
  }

  /** The payroll export's rows of a period's current run: one per payee with a non-zero payout, by payee. */
  async exportRows(p: Period): Promise<ExportRow[]> {
    const rows = await this.db.query<{ rep_id: string; period: string; currency: string; amount: string; reference: string }>(
      `SELECT p.rep_id, p.period, p.currency, p.payout::text AS amount, 'CE-' || p.period || '-' || p.rep_id AS reference
         FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND p.payout <> 0 ORDER BY p.rep_id`,
      [p],
    );
    return rows.map((r) => ({ repId: r.rep_id, period: r.period, currency: r.currency, amount: r.amount, reference: r.reference }));
  }
}

import { Injectable } from '@nestjs/common';
import type { PeriodStatus } from '../calculation/runs.repository';
import { Period } from '../core/calendar/dates';
import { Decimal } from '../core/money/decimal';
import { ClosedPayout } from '../core/reconciliation/reconcile';
import { Db } from '../infra/db.service';

/** A prior-period adjustment line of a later run: a late or amended booking that corrects an earlier period. */
export interface PriorPeriodLine {
  repId: string;
  /** The period whose run pays it. */
  period: string;
  /** The line's identity: component key | reference. */
  key: string;
  amount: Decimal;
}

/**
 * What a reconciliation reads besides payroll: the current runs' payouts and later prior-period lines, the periods
 * and their staleness, and the FX rates it converts at.
 */
@Injectable()
export class ReconciliationFactsRepository {
  constructor(private readonly db: Db) {}

  /** The payouts of a period's current run (of one payee, or of all when `onlyRep` is null), with team and first plan. */
  async payouts(p: Period, onlyRep: string | null): Promise<ClosedPayout[]> {
    const rows = await this.db.query<{ rep_id: string; currency: string; payout: string; manager_id: string | null; plan: string | null }>(
      `SELECT p.rep_id, p.currency, p.payout::text AS payout, r.manager_id, p.plans->0->>'planId' AS plan
         FROM payouts p JOIN current_runs cr ON cr.id = p.run_id JOIN reps r ON r.rep_id = p.rep_id
        WHERE cr.period = $1 AND ($2::text IS NULL OR p.rep_id = $2) ORDER BY p.rep_id`,
      [p, onlyRep],
    );
    return rows.map((r) => ({ repId: r.rep_id, currency: r.currency, payout: new Decimal(r.payout), team: r.manager_id, plan: r.plan }));
  }

  /** The non-zero prior-period adjustment lines of later current runs that correct `origin`, cancellations aside. */
  async priorPeriodLines(origin: Period, onlyRep: string | null): Promise<PriorPeriodLine[]> {
    const rows = await this.db.query<{ rep_id: string; period: string; key: string; amount: string }>(
      `SELECT l.rep_id, l.period, l.component_key || '|' || coalesce(l.ref, '') AS key, l.amount::text AS amount
         FROM run_lines l JOIN current_runs cr ON cr.id = l.run_id
        WHERE l.period > $1 AND l.kind = 'prior_period_adjustment' AND l.origin_period = $1
          AND coalesce(l.cause, '') <> 'cancellation' AND l.amount <> 0 AND ($2::text IS NULL OR l.rep_id = $2)
        ORDER BY l.period, l.rep_id, l.line_no`,
      [origin, onlyRep],
    );
    return rows.map((l) => ({ repId: l.rep_id, period: l.period, key: l.key, amount: new Decimal(l.amount) }));
  }

  /** The closed periods, oldest first. */
  async closedPeriods(): Promise<Period[]> {
    const rows = await this.db.query<{ period: string }>(`SELECT period FROM periods WHERE status = 'closed' ORDER BY period`);
    return rows.map((r) => r.period);
  }

  /** Every period with its status and whether its current run is stale, oldest first. */
  async periods(): Promise<{ period: Period; status: PeriodStatus; stale: boolean }[]> {
    return this.db.query<{ period: string; status: PeriodStatus; stale: boolean }>(
      `SELECT p.period, p.status, coalesce(r.stale, false) AS stale FROM periods p
         LEFT JOIN current_runs r ON r.period = p.period ORDER BY p.period`,
    );
  }

  /** One payee's payouts in the current runs, with their period. */
  async payoutsOf(repId: string): Promise<{ period: Period; currency: string; payout: string }[]> {
    return this.db.query<{ period: string; currency: string; payout: string }>(
      `SELECT cr.period, p.currency, p.payout::text AS payout FROM payouts p JOIN current_runs cr ON cr.id = p.run_id
        WHERE p.rep_id = $1`,
      [repId],
    );
  }
}

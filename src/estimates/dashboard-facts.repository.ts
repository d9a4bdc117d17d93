import { Injectable } from '@nestjs/common';
import { WindowSummary } from '../core/calculation/calculation-types';
import { Period } from '../core/calendar/dates';
import { Db } from '../infra/db.service';

/** A payee's month as stored: its current run's payout (amounts are decimal strings) and the period's status. */
export interface StoredMonth {
  period: Period;
  /** The period's lifecycle status; null when the period has no row yet. */
  status: string | null;
  earned: string;
  payout: string;
  balance: string;
  windows: WindowSummary[];
  plans: { hash: string }[];
}

/** What payroll paid a payee for a period in one currency (a decimal string). */
export interface PayrollPaid {
  period: Period;
  currency: string;
  amount: string;
}

/** What a payee's dashboard reads across reps, runs, payroll, plans, assignments and disputes: reads only. */
@Injectable()
export class DashboardFactsRepository {
  constructor(private readonly db: Db) {}

  /** The payees whose manager is `repId`, by id. */
  async directReports(repId: string): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(`SELECT rep_id FROM reps WHERE manager_id = $1 ORDER BY rep_id`, [repId]);
    return rows.map((r) => r.rep_id);
  }

  /** A payee's payouts of the current runs of the periods from `from` to `to`, by period. */
  async storedMonths(repId: string, from: Period, to: Period): Promise<StoredMonth[]> {
    return this.db.query<StoredMonth>(
      `SELECT r.period, p.status, y.earned::text AS earned, y.payout::text AS payout, y.balance::text AS balance, y.windows, y.plans
         FROM current_runs r JOIN payouts y ON y.run_id = r.id LEFT JOIN periods p ON p.period = r.period
        WHERE y.rep_id = $1 AND r.period BETWEEN $2 AND $3 ORDER BY r.period`,
      [repId, from, to],
    );
  }

  /** What the payee's current payroll records of the periods from `from` to `to` paid, per period and currency. */
  async payrollPaid(repId: string, from: Period, to: Period): Promise<PayrollPaid[]> {
    return this.db.query<PayrollPaid>(
      `SELECT period, currency, sum(amount)::text AS amount FROM payroll_records WHERE rep_id = $1 AND superseded_by_import IS NULL AND period BETWEEN $2 AND $3
        GROUP BY period, currency ORDER BY period, currency`,
      [repId, from, to],
    );
  }

  /** The latest closed period the payee has a payout in: their last final statement (null: none). */
  async lastClosedPeriod(repId: string): Promise<Period | null> {
    const [statement] = await this.db.query<{ period: string }>(
      `SELECT r.period FROM current_runs r JOIN payouts y ON y.run_id = r.id JOIN periods p ON p.period = r.period
        WHERE p.status = 'closed' AND y.rep_id = $1 ORDER BY r.period DESC LIMIT 1`,
      [repId],
    );
    return statement?.period ?? null;
  }
}

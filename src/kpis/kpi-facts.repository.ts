import { Injectable } from '@nestjs/common';
import { Period } from '../core/calendar/dates';
import { WindowRow } from '../core/kpis/attainment';
import { Decimal } from '../core/money/decimal';
import { Db } from '../infra/db.service';

/** A payee of a period's current run, with what their attainment reads: their stored quota windows. */
export interface PayeeWindows {
  repId: string;
  managerId: string | null;
  /** The first plan of the payout. */
  plan: string | null;
  hireDate: string;
  windows: WindowRow[];
}

/** A payee of a period's current run with their payout, as the attainment report lists them. */
export interface PayeePayout extends PayeeWindows {
  name: string;
  currency: string;
  payout: string;
}

/** A plan assignment with its payee's dates, manager and currency (amounts are decimal strings). */
export interface AssignmentInForce {
  repId: string;
  planId: string;
  annualQuota: string;
  targetVariable: string;
  baseSalary: string;
  startDate: string;
  endDate: string | null;
  hireDate: string;
  terminationDate: string | null;
  managerId: string | null;
  currency: string;
}

/** The period's bookings in one currency: how many and their total (a decimal string). */
export interface DealTotals {
  currency: string;
  deals: number;
  total: string;
}

/** One payee's stored windows of one period (of its current run). */
export interface PeriodWindows {
  repId: string;
  period: Period;
  hireDate: string;
  windows: WindowRow[];
}

export interface DisputeFacts {
  reasonCode: string;
  status: string;
  raisedAt: Date;
  resolvedAt: Date | null;
}

interface PayeeRow {
  rep_id: string;
  manager_id: string | null;
  plan: string | null;
  hire_date: string;
  windows: WindowRow[];
}

const payeeWindows = (r: PayeeRow): PayeeWindows => ({ repId: r.rep_id, managerId: r.manager_id, plan: r.plan, hireDate: r.hire_date, windows: r.windows });

/** What the KPIs read across payouts, reps, assignments, bookings and disputes: reads only, outside any transaction. */
@Injectable()
export class KpiFactsRepository {
  constructor(private readonly db: Db) {}

  /** The payees of the period's current run with their payout, limited to `visible` (null: everyone), by payee. */
  async payeePayouts(period: Period, visible: ReadonlySet<string> | null): Promise<PayeePayout[]> {
    const rows = await this.db.query<PayeeRow & { name: string; currency: string; payout: string }>(
      `SELECT p.rep_id, r.name, r.manager_id, p.plans->0->>'planId' AS plan, r.hire_date::text AS hire_date, p.currency, p.payout::text AS payout, p.windows
         FROM payouts p JOIN current_runs cr ON cr.id = p.run_id JOIN reps r ON r.rep_id = p.rep_id
        WHERE cr.period = $1 AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[])) ORDER BY p.rep_id`,
      [period, visible ? [...visible] : null],
    );
    return rows.map((r) => ({ ...payeeWindows(r), name: r.name, currency: r.currency, payout: r.payout }));
  }

  /** The payees of the period's current run, by payee. */
  async payees(period: Period): Promise<PayeeWindows[]> {
    const rows = await this.db.query<PayeeRow>(
      `SELECT p.rep_id, r.manager_id, p.plans->0->>'planId' AS plan, r.hire_date::text AS hire_date, p.windows
         FROM payouts p JOIN current_runs cr ON cr.id = p.run_id JOIN reps r ON r.rep_id = p.rep_id
        WHERE cr.period = $1 ORDER BY p.rep_id`,
      [period],
    );
    return rows.map(payeeWindows);
  }

  /** The assignments in force at some time between `from` and `to`, by payee and start. */
  async assignmentsInForce(from: string, to: string): Promise<AssignmentInForce[]> {
    const rows = await this.db.query<{
      rep_id: string;
      plan_id: string;
      annual_quota: string;
      target_variable: string;
      base_salary: string;
      start_date: string;
      end_date: string | null;
      hire_date: string;
      termination_date: string | null;
      manager_id: string | null;
      currency: string;
    }>(
      `SELECT a.rep_id, a.plan_id, a.annual_quota::text AS annual_quota, a.target_variable::text AS target_variable, a.base_salary::text AS base_salary,
              a.start_date::text AS start_date, a.end_date::text AS end_date, r.hire_date::text AS hire_date, r.termination_date::text AS termination_date, r.manager_id,
              r.currency
         FROM plan_assignments a JOIN reps r ON r.rep_id = a.rep_id
        WHERE a.start_date <= $1 AND (a.end_date IS NULL OR a.end_date >= $2) ORDER BY a.rep_id, a.start_date`,
      [to, from],
    );
    return rows.map((r) => ({
      repId: r.rep_id,
      planId: r.plan_id,
      annualQuota: r.annual_quota,
      targetVariable: r.target_variable,
      baseSalary: r.base_salary,
      startDate: r.start_date,
      endDate: r.end_date,
      hireDate: r.hire_date,
      terminationDate: r.termination_date,
      managerId: r.manager_id,
      currency: r.currency,
    }));
  }

  /** The current bookings booked between `from` and `to` and not cancelled by `to`, per currency. */
  async dealTotals(from: string, to: string): Promise<DealTotals[]> {
    const rows = await this.db.query<{ currency: string; n: string; total: string }>(
      `SELECT currency, count(*)::text AS n, sum(amount)::text AS total FROM booking_versions
        WHERE superseded_by IS NULL AND booked_date BETWEEN $1 AND $2 AND (cancelled_date IS NULL OR cancelled_date > $2)
        GROUP BY currency ORDER BY currency`,
      [from, to],
    );
    return rows.map((r) => ({ currency: r.currency, deals: Number(r.n), total: r.total }));
  }

  /** Every payee's stored windows of the periods up to `period` (current runs), by payee and period. */
  async windowsThrough(period: Period): Promise<PeriodWindows[]> {
    const rows = await this.db.query<{ rep_id: string; period: string; hire_date: string; windows: WindowRow[] }>(
      `SELECT py.rep_id, py.period, r.hire_date::text AS hire_date, py.windows
         FROM payouts py JOIN current_runs cr ON cr.id = py.run_id JOIN reps r ON r.rep_id = py.rep_id
        WHERE py.period <= $1 ORDER BY py.rep_id, py.period`,
      [period],
    );
    return rows.map((r) => ({ repId: r.rep_id, period: r.period, hireDate: r.hire_date, windows: r.windows }));
  }

  /** Each payee's largest annual quota over all their assignments, by payee. */
  async largestAnnualQuotas(): Promise<Map<string, Decimal>> {
    const rows = await this.db.query<{ rep_id: string; annual_quota: string }>(`SELECT rep_id, max(annual_quota)::text AS annual_quota FROM plan_assignments GROUP BY rep_id`);
    return new Map(rows.map((r) => [r.rep_id, new Decimal(r.annual_quota)]));
  }

  /** The first period ever calculated: where the data starts (null: none). */
  async firstCalculatedPeriod(): Promise<Period | null> {
    const [{ first }] = await this.db.query<{ first: string | null }>(`SELECT min(period) AS first FROM calculation_runs`);
    return first;
  }

  /** The disputes raised about a period, in the order they were raised. */
  async disputes(period: Period): Promise<DisputeFacts[]> {
    const rows = await this.db.query<{ reason_code: string; status: string; raised_at: Date; resolved_at: Date | null }>(
      `SELECT reason_code, status, raised_at, resolved_at FROM disputes WHERE period = $1 ORDER BY id`,
      [period],
    );
    return rows.map((r) => ({ reasonCode: r.reason_code, status: r.status, raisedAt: new Date(r.raised_at), resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null }));
  }
}

import { Injectable } from '@nestjs/common';
import { Period } from '../core/calendar/dates';
import { StatementInput, StatementWindow } from '../core/statements/build-statement';
import { Db } from '../infra/db.service';

/** The plan versions a payout was calculated on. */
export interface PayoutPlan {
  planId: string;
  version: number;
  hash: string;
}

/** A payee's payout in a run, as a statement shows it. */
export interface StatementPayout {
  /** Exact decimal strings. */
  amounts: StatementInput['payout'];
  plans: PayoutPlan[];
  windows: StatementWindow[];
}

/** A direct report's payout in a run: what a manager's team attainment adds up. */
export interface TeamPayout {
  repId: string;
  currency: string;
  windows: StatementWindow[];
  plans: { hash: string }[];
}

/** The engine's payouts of a range of periods' current runs (sums as exact decimal strings, null when none). */
export interface PayoutTotals {
  paid: string | null;
  earned: string | null;
  months: number;
}

interface PayoutRow {
  earned_to_date: string;
  earned_before: string;
  earned: string;
  draw: string;
  payout: string;
  balance_before: string;
  balance: string;
  plans: PayoutPlan[];
  windows: StatementWindow[];
}

interface RepRow {
  rep_id: string;
  name: string;
  currency: string;
  hire_date: string;
  manager_id: string | null;
  manager_name: string | null;
}

/**
 * What a statement reads: the payee, their payouts in the periods' current runs, their assignment, the plan versions,
 * payroll's records and their open disputes. Read outside any transaction, each query on its own.
 */
@Injectable()
export class StatementFactsRepository {
  constructor(private readonly db: Db) {}

  /** Payees with a payout in the period's current run after `after`, in rep id order, at most `limit`. */
  async payeeIdsAfter(period: Period, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(
      `SELECT p.rep_id FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND ($2::text IS NULL OR p.rep_id > $2) ORDER BY p.rep_id LIMIT $3`,
      [period, after, limit],
    );
    return rows.map((r) => r.rep_id);
  }

  /** Payees with a payout in the period's current run: all of them, or only `repId` when given. */
  async payeeIds(period: Period, repId: string | null): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(
      `SELECT py.rep_id FROM payouts py JOIN current_runs r ON r.id = py.run_id WHERE r.period = $1 AND ($2::text IS NULL OR py.rep_id = $2)`,
      [period, repId],
    );
    return rows.map((r) => r.rep_id);
  }

  /** How many payees have a payout in the period's current run: all of them, or only `repId` when given. */
  async payeeCount(period: Period, repId: string | null): Promise<number> {
    const [{ n }] = await this.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM payouts py JOIN current_runs r ON r.id = py.run_id WHERE r.period = $1 AND ($2::text IS NULL OR py.rep_id = $2)`,
      [period, repId],
    );
    return Number(n);
  }

  async payout(runId: string, repId: string): Promise<StatementPayout | null> {
    const [row] = await this.db.query<PayoutRow>(
      `SELECT earned_to_date::text AS earned_to_date, earned_before::text AS earned_before, earned::text AS earned, draw::text AS draw, payout::text AS payout,
              balance_before::text AS balance_before, balance::text AS balance, plans, windows
         FROM payouts WHERE run_id = $1 AND rep_id = $2`,
      [runId, repId],
    );
    if (!row) return null;
    return {
      amounts: {
        earnedToDate: row.earned_to_date,
        earnedBefore: row.earned_before,
        earned: row.earned,
        draw: row.draw,
        payout: row.payout,
        balanceBefore: row.balance_before,
        balance: row.balance,
      },
      plans: row.plans,
      windows: row.windows,
    };
  }

  /** The payee with their manager's name. */
  async rep(repId: string): Promise<StatementInput['rep'] | null> {
    const [row] = await this.db.query<RepRow>(
      `SELECT r.rep_id, r.name, r.currency, r.hire_date::text AS hire_date, r.manager_id, m.name AS manager_name FROM reps r LEFT JOIN reps m ON m.rep_id = r.manager_id WHERE r.rep_id = $1`,
      [repId],
    );
    return row ? { repId: row.rep_id, name: row.name, currency: row.currency, hireDate: row.hire_date, managerId: row.manager_id, managerName: row.manager_name } : null;
  }

  /** The payee's payouts and earnings in the current runs of the periods from `from` to `to`. */
  async payoutTotals(repId: string, from: Period, to: Period): Promise<PayoutTotals> {
    const [row] = await this.db.query<{ paid: string | null; earned: string | null; months: string }>(
      `SELECT sum(p.payout)::text AS paid, sum(p.earned)::text AS earned, count(*)::text AS months FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE p.rep_id = $1 AND p.period BETWEEN $2 AND $3`,
      [repId, from, to],
    );
    return { paid: row?.paid ?? null, earned: row?.earned ?? null, months: Number(row?.months ?? 0) };
  }

  /** Payroll's records (not superseded) of the payee in the period, by reference. */
  async payroll(repId: string, period: Period): Promise<StatementInput['payroll']> {
    const rows = await this.db.query<{ amount: string; currency: string; reference: string; paid_date: string }>(
      `SELECT amount::text AS amount, currency, reference, paid_date::text AS paid_date FROM payroll_records WHERE rep_id = $1 AND period = $2 AND superseded_by_import IS NULL ORDER BY reference`,
      [repId, period],
    );
    return rows.map((p) => ({ amount: p.amount, currency: p.currency, reference: p.reference, paidDate: p.paid_date }));
  }

  /** What payroll paid the payee in the periods from `from` to `to` (records not superseded), per currency. */
  async payrollTotals(repId: string, from: Period, to: Period): Promise<{ amount: string; currency: string }[]> {
    const rows = await this.db.query<{ amount: string; currency: string }>(
      `SELECT sum(amount)::text AS amount, currency FROM payroll_records WHERE rep_id = $1 AND period BETWEEN $2 AND $3 AND superseded_by_import IS NULL GROUP BY currency ORDER BY currency`,
      [repId, from, to],
    );
    return rows.map((p) => ({ amount: p.amount, currency: p.currency }));
  }

  /** The payouts in the run of the manager's direct reports, by rep id. */
  async teamPayouts(runId: string, managerId: string): Promise<TeamPayout[]> {
    const rows = await this.db.query<{ rep_id: string; currency: string; windows: StatementWindow[]; plans: { hash: string }[] }>(
      `SELECT p.rep_id, p.currency, p.windows, p.plans FROM payouts p WHERE p.run_id = $1 AND p.rep_id IN (SELECT rep_id FROM reps WHERE manager_id = $2) ORDER BY p.rep_id`,
      [runId, managerId],
    );
    return rows.map((r) => ({ repId: r.rep_id, currency: r.currency, windows: r.windows, plans: r.plans }));
  }
}

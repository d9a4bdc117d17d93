import { Injectable } from '@nestjs/common';
import { Period } from '../core/calendar/dates';
import { Decimal } from '../core/money/decimal';
import { PayrollRecord } from '../core/reconciliation/reconcile';
import { Db } from '../infra/db.service';

/** What payroll paid a payee in a period (a current record: one no later import superseded). */
export interface PaidRecord {
  period: string;
  currency: string;
  amount: string;
  paidDate: string;
  reference: string;
}

/** The payroll_records table as the reconciliation reads it: only current records (not superseded by a later import). */
@Injectable()
export class PayrollRepository {
  constructor(private readonly db: Db) {}

  /** A period's records (of one payee, or of all when `onlyRep` is null) with the payee's team, by reference. */
  async ofPeriod(p: Period, onlyRep: string | null): Promise<Omit<PayrollRecord, 'plan'>[]> {
    const rows = await this.db.query<{ id: string; rep_id: string; currency: string; amount: string; paid_date: string; reference: string; manager_id: string | null }>(
      `SELECT pr.id::text AS id, pr.rep_id, pr.currency, pr.amount::text AS amount, pr.paid_date::text AS paid_date, pr.reference, r.manager_id
         FROM payroll_records pr JOIN reps r ON r.rep_id = pr.rep_id
        WHERE pr.period = $1 AND pr.superseded_by_import IS NULL AND ($2::text IS NULL OR pr.rep_id = $2) ORDER BY pr.reference, pr.id`,
      [p, onlyRep],
    );
    return rows.map((r) => ({ id: r.id, repId: r.rep_id, currency: r.currency, amount: new Decimal(r.amount), paidDate: r.paid_date, reference: r.reference, team: r.manager_id }));
  }

  /** The number of records per period. */
  async countsByPeriod(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ period: string; n: string }>(
      `SELECT period, count(*)::text AS n FROM payroll_records WHERE superseded_by_import IS NULL GROUP BY period`,
    );
    return new Map(rows.map((r) => [r.period, Number(r.n)]));
  }

  /** Everything paid to one payee, by period and reference. */
  async paidTo(repId: string): Promise<PaidRecord[]> {
    const rows = await this.db.query<{ period: string; currency: string; amount: string; paid_date: string; reference: string }>(
      `SELECT period, currency, amount::text AS amount, paid_date::text AS paid_date, reference FROM payroll_records
        WHERE rep_id = $1 AND superseded_by_import IS NULL ORDER BY period, reference, id`,
      [repId],
    );
    return rows.map((r) => ({ period: r.period, currency: r.currency, amount: r.amount, paidDate: r.paid_date, reference: r.reference }));
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period } from '../core/calendar/dates';
import { PayrollRow } from '../core/intake/payroll-intake';
import { dec, Decimal } from '../core/money/decimal';
import { MinorUnits } from '../core/money/minor-units';
import { PayrollRecord } from '../core/reconciliation/reconcile';
import { Db } from '../infra/db.service';
import { Col, insertMany } from '../infra/sql-batch';

/** A payroll record: what payroll paid a rep for a period. */
export type ImportedPayrollRecord = Omit<PayrollRow, 'line'>;

const COLUMNS: Col[] = [
  { name: 'rep_id', type: 'text' },
  { name: 'period', type: 'text' },
  { name: 'currency', type: 'text' },
  { name: 'amount', type: 'numeric' },
  { name: 'paid_date', type: 'date' },
  { name: 'reference', type: 'text' },
  { name: 'import_id', type: 'bigint' },
];

/** What payroll paid a payee in a period (a current record: one no later import superseded). */
export interface PaidRecord {
  period: string;
  currency: string;
  amount: string;
  paidDate: string;
  reference: string;
}

/**
 * The payroll_records table. A period's current records (not superseded) are what payroll paid; a later file for the
 * period supersedes them (they are kept, marked with that import). Imports write it; the reconciliation reads it.
 */
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

  /** The current records of a period. */
  async currentOfPeriod(em: EntityManager, period: string): Promise<ImportedPayrollRecord[]> {
    const rows: { rep_id: string; period: string; currency: string; amount: string; paid_date: string; reference: string }[] = await em.query(
      `SELECT rep_id, period, currency, amount::text AS amount, paid_date::text AS paid_date, reference FROM payroll_records WHERE period = $1 AND superseded_by_import IS NULL`,
      [period],
    );
    return rows.map((s) => ({ repId: s.rep_id, period: s.period, currency: s.currency, amount: dec(s.amount), paidDate: s.paid_date, reference: s.reference }));
  }

  /** Marks the current records of these periods superseded by an import; how many each period had. */
  async supersede(em: EntityManager, periods: readonly string[], importId: string): Promise<Map<string, number>> {
    if (!periods.length) return new Map();
    const superseded: { period: string; n: string }[] = await em.query(
      `WITH s AS (UPDATE payroll_records SET superseded_by_import = $1 WHERE period = ANY($2::text[]) AND superseded_by_import IS NULL RETURNING period)
       SELECT period, count(*)::text AS n FROM s GROUP BY period`,
      [importId, periods],
    );
    return new Map(superseded.map((s) => [s.period, Number(s.n)]));
  }

  /** Inserts records of an import, each amount written with its currency's minor unit of decimals. */
  async insertMany(em: EntityManager, records: readonly ImportedPayrollRecord[], importId: string, minorUnits: MinorUnits): Promise<void> {
    await insertMany(
      em,
      'payroll_records',
      COLUMNS,
      records.map((r) => [r.repId, r.period, r.currency, r.amount.toFixed(minorUnits.of(r.currency)), r.paidDate, r.reference, importId]),
    );
  }
}

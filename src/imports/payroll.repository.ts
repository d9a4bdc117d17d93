import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PayrollRow } from '../core/intake/payroll-intake';
import { dec } from '../core/money/decimal';
import { MinorUnits } from '../core/money/minor-units';
import { Col, insertMany } from '../infra/sql-batch';

/** A payroll record: what payroll paid a rep for a period. */
export type PayrollRecord = Omit<PayrollRow, 'line'>;

const COLUMNS: Col[] = [
  { name: 'rep_id', type: 'text' },
  { name: 'period', type: 'text' },
  { name: 'currency', type: 'text' },
  { name: 'amount', type: 'numeric' },
  { name: 'paid_date', type: 'date' },
  { name: 'reference', type: 'text' },
  { name: 'import_id', type: 'bigint' },
];

/**
 * The payroll_records table, as payroll imports write it: a period's current records (not superseded) are what
 * payroll paid; a later file for the period supersedes them (they are kept, marked with that import).
 */
@Injectable()
export class PayrollRepository {
  /** The current records of a period. */
  async currentOfPeriod(em: EntityManager, period: string): Promise<PayrollRecord[]> {
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
  async insertMany(em: EntityManager, records: readonly PayrollRecord[], importId: string, minorUnits: MinorUnits): Promise<void> {
    await insertMany(
      em,
      'payroll_records',
      COLUMNS,
      records.map((r) => [r.repId, r.period, r.currency, r.amount.toFixed(minorUnits.of(r.currency)), r.paidDate, r.reference, importId]),
    );
  }
}

import { EntityManager } from 'typeorm';
import { rejectionOf } from '../core/intake/intake';
import { payrollRowKey, PayrollRow, validatePayrollCsv } from '../core/intake/payroll-intake';
import { dec } from '../core/money/decimal';
import { ImportSettings, OnProgress, PreparedImport, storedRepIds } from './prepared-import';
import { insertMany } from './sql-batch';

/**
 * Payroll files replace, per period, what payroll paid: when a period's rows differ from its current records, the
 * current records are superseded (kept, marked with this import) and the file's rows inserted. A period whose rows
 * are unchanged is left alone, so re-importing the same file is a no-op.
 */
export async function preparePayrollImport(em: EntityManager, file: string, content: Buffer, _onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const result = validatePayrollCsv(content, file, await storedRepIds(em), settings.minorUnits, settings.maxErrors);
  if (result.errorCount) throw rejectionOf(file, result);
  const byPeriod = new Map<string, PayrollRow[]>();
  for (const r of result.records) byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), r]);
  const replace: string[] = [];
  let unchanged = 0;
  let superseded = 0;
  for (const [period, rows] of [...byPeriod.entries()].sort()) {
    const stored: { rep_id: string; period: string; currency: string; amount: string; paid_date: string; reference: string }[] = await em.query(
      `SELECT rep_id, period, currency, amount::text AS amount, paid_date::text AS paid_date, reference FROM payroll_records WHERE period = $1 AND superseded_by_import IS NULL`,
      [period],
    );
    const before = stored.map((s) => payrollRowKey({ repId: s.rep_id, period: s.period, currency: s.currency, amount: dec(s.amount), paidDate: s.paid_date, reference: s.reference })).sort();
    const after = rows.map(payrollRowKey).sort();
    if (before.length === after.length && before.every((k, i) => k === after[i])) unchanged += rows.length;
    else {
      replace.push(period);
      superseded += stored.length;
    }
  }
  const inserted = replace.flatMap((p) => byPeriod.get(p) as PayrollRow[]);
  return {
    rows: result.rows,
    // counted in records, so that rows = created + unchanged; the periods replaced are in the audit events
    created: inserted.length,
    changed: 0,
    unchanged,
    superseded,
    async apply(tx, batchId) {
      const superseded: { period: string; n: string }[] = replace.length
        ? await tx.query(
            `WITH s AS (UPDATE payroll_records SET superseded_by_import = $1 WHERE period = ANY($2::text[]) AND superseded_by_import IS NULL RETURNING period)
             SELECT period, count(*)::text AS n FROM s GROUP BY period`,
            [batchId, replace],
          )
        : [];
      await insertMany(
        tx,
        'payroll_records',
        [
          { name: 'rep_id', type: 'text' },
          { name: 'period', type: 'text' },
          { name: 'currency', type: 'text' },
          { name: 'amount', type: 'numeric' },
          { name: 'paid_date', type: 'date' },
          { name: 'reference', type: 'text' },
          { name: 'import_id', type: 'bigint' },
        ],
        inserted.map((r) => [r.repId, r.period, r.currency, r.amount.toFixed(settings.minorUnits.of(r.currency)), r.paidDate, r.reference, batchId]),
      );
      const supersededOf = new Map(superseded.map((s) => [s.period, Number(s.n)]));
      return replace.map((p) => ({
        action: 'payroll.replace',
        entityType: 'payroll_period',
        entityId: p,
        before: { records: supersededOf.get(p) ?? 0 },
        after: { records: (byPeriod.get(p) as PayrollRow[]).length, importId: batchId },
      }));
    },
  };
}

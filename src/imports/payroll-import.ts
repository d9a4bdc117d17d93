import { payrollRowKey, PayrollRow, validatePayrollCsv } from '../core/intake/payroll-intake';
import { IntakeResult } from '../core/intake/intake';
import { PayrollRepository } from '../reconciliation/payroll.repository';
import { RepsRepository } from '../reps/reps.repository';
import { ImportSpec } from './prepared-import';

/** The file's records by period, and the periods whose records it replaces. */
interface PayrollChanges {
  byPeriod: Map<string, PayrollRow[]>;
  replace: string[];
}

/**
 * Payroll files replace, per period, what payroll paid: when a period's rows differ from its current records, the
 * current records are superseded (kept, marked with this import) and the file's rows inserted. A period whose rows
 * are unchanged is left alone, so re-importing the same file is a no-op. Not keyed record by record, so not a keyed
 * kind: a period is the unit that is compared and replaced.
 */
export function payrollImport(reps: RepsRepository, payroll: PayrollRepository): ImportSpec<IntakeResult<PayrollRow>, PayrollChanges> {
  return {
    read: async (em, { file, content, settings }) => validatePayrollCsv(content, file, await reps.ids(em), settings.minorUnits, settings.maxErrors),
    async compare(em, { records }) {
      const byPeriod = new Map<string, PayrollRow[]>();
      for (const r of records) byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), r]);
      const replace: string[] = [];
      let unchanged = 0;
      let superseded = 0;
      for (const [period, rows] of [...byPeriod.entries()].sort()) {
        const stored = await payroll.currentOfPeriod(em, period);
        const before = stored.map(payrollRowKey).sort();
        const after = rows.map(payrollRowKey).sort();
        if (before.length === after.length && before.every((k, i) => k === after[i])) unchanged += rows.length;
        else {
          replace.push(period);
          superseded += stored.length;
        }
      }
      return {
        // counted in records, so that rows = created + unchanged; the periods replaced are in the audit events
        created: replace.reduce((n, p) => n + (byPeriod.get(p) as PayrollRow[]).length, 0),
        changed: 0,
        unchanged,
        superseded,
        changes: { byPeriod, replace },
      };
    },
    async apply(tx, { byPeriod, replace }, batch) {
      const superseded = await payroll.supersede(tx, replace, batch.id);
      await payroll.insertMany(
        tx,
        replace.flatMap((p) => byPeriod.get(p) as PayrollRow[]),
        batch.id,
        batch.settings.minorUnits,
      );
      return replace.map((p) => ({
        action: 'payroll.replace',
        entityType: 'payroll_period',
        entityId: p,
        before: { records: superseded.get(p) ?? 0 },
        after: { records: (byPeriod.get(p) as PayrollRow[]).length, importId: batch.id },
      }));
    },
  };
}

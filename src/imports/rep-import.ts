import { EntityManager } from 'typeorm';
import { pick, rejectionOf } from '../core/intake/intake';
import { planRepChanges, RepFields, validateRepsCsv } from '../core/intake/rep-intake';
import { ImportSettings, OnProgress, PreparedImport } from './prepared-import';
import { Col, insertMany, updateMany } from './sql-batch';

const KEY: Col[] = [{ name: 'rep_id', type: 'text' }];
const FIELDS: Col[] = [
  { name: 'name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'manager_id', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'hire_date', type: 'date' },
  { name: 'termination_date', type: 'date' },
  { name: 'currency', type: 'text' },
];

interface RepRow {
  rep_id: string;
  name: string;
  email: string;
  manager_id: string | null;
  role: string;
  hire_date: string;
  termination_date: string | null;
  currency: string;
}

const values = (r: RepFields) => [r.repId, r.name, r.email, r.managerId, r.role, r.hireDate, r.terminationDate, r.currency];
const fields = (r: RepFields): RepFields => pick(r, ['repId', 'name', 'email', 'managerId', 'role', 'hireDate', 'terminationDate', 'currency']) as RepFields;

export async function prepareRepImport(em: EntityManager, file: string, content: Buffer, onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const rows: RepRow[] = await em.query(`SELECT rep_id, name, email, manager_id, role, hire_date, termination_date, currency FROM reps`);
  const stored = new Map<string, RepFields>(
    rows.map((r) => [
      r.rep_id,
      { repId: r.rep_id, name: r.name, email: r.email, managerId: r.manager_id, role: r.role, hireDate: r.hire_date, terminationDate: r.termination_date, currency: r.currency },
    ]),
  );
  const result = validateRepsCsv(content, file, { storedManagers: new Map(rows.map((r) => [r.rep_id, r.manager_id])), onProgress, maxErrors: settings.maxErrors });
  if (result.errorCount) throw rejectionOf(file, result);
  const plan = planRepChanges(result.records, stored);

  return {
    rows: result.rows,
    created: plan.create.length,
    changed: plan.update.length,
    unchanged: plan.unchanged,
    async apply(tx) {
      await insertMany(tx, 'reps', [...KEY, ...FIELDS], plan.create.map(values));
      await updateMany(tx, 'reps', KEY, FIELDS, plan.update.map((u) => values(u.record)), 'updated_at = now()');
      return [
        ...plan.create.map((r) => ({ action: 'rep.create', entityType: 'rep', entityId: r.repId, after: fields(r) })),
        ...plan.update.map((u) => ({
          action: 'rep.update',
          entityType: 'rep',
          entityId: u.record.repId,
          before: pick(u.before, u.changed),
          after: pick(u.record, u.changed),
        })),
      ];
    },
  };
}

import { EntityManager } from 'typeorm';
import { AssignmentFields, assignmentKey, planAssignmentChanges, validateAssignmentsCsv } from '../core/intake/assignment-intake';
import { pick, rejectionOf } from '../core/intake/intake';
import { dec } from '../core/money/decimal';
import { ImportSettings, OnProgress, PreparedImport, storedRepIds } from './prepared-import';
import { Col, insertMany, selectByChunks, updateMany } from './sql-batch';

const KEY: Col[] = [
  { name: 'rep_id', type: 'text' },
  { name: 'plan_id', type: 'text' },
  { name: 'start_date', type: 'date' },
];
const FIELDS: Col[] = [
  { name: 'end_date', type: 'date' },
  { name: 'annual_quota', type: 'numeric' },
  { name: 'target_variable', type: 'numeric' },
  { name: 'base_salary', type: 'numeric' },
];

interface AssignmentRow {
  rep_id: string;
  plan_id: string;
  start_date: string;
  end_date: string | null;
  annual_quota: string;
  target_variable: string;
  base_salary: string;
}

const values = (a: AssignmentFields) => [
  a.repId,
  a.planId,
  a.startDate,
  a.endDate,
  a.annualQuota.toFixed(),
  a.targetVariable.toFixed(),
  a.baseSalary.toFixed(),
];
const fields = (a: AssignmentFields): AssignmentFields =>
  pick(a, ['repId', 'planId', 'startDate', 'endDate', 'annualQuota', 'targetVariable', 'baseSalary']) as AssignmentFields;

export async function prepareAssignmentImport(em: EntityManager, file: string, content: Buffer, onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const reps = await storedRepIds(em);
  const plans = new Set(((await em.query(`SELECT DISTINCT plan_id FROM plan_versions`)) as { plan_id: string }[]).map((p) => p.plan_id));
  const result = validateAssignmentsCsv(content, file, { repExists: (id) => reps.has(id), planExists: (id) => plans.has(id), onProgress, maxErrors: settings.maxErrors });
  if (result.errorCount) throw rejectionOf(file, result);

  const rows = await selectByChunks<AssignmentRow>(
    em,
    `SELECT rep_id, plan_id, start_date, end_date, annual_quota::text AS annual_quota, target_variable::text AS target_variable,
            base_salary::text AS base_salary
       FROM plan_assignments WHERE rep_id = ANY($1::text[])`,
    [...new Set(result.records.map((r) => r.repId))],
  );
  const stored = new Map<string, AssignmentFields>();
  for (const r of rows) {
    const a: AssignmentFields = {
      repId: r.rep_id,
      planId: r.plan_id,
      startDate: r.start_date,
      endDate: r.end_date,
      annualQuota: dec(r.annual_quota),
      targetVariable: dec(r.target_variable),
      baseSalary: dec(r.base_salary),
    };
    stored.set(assignmentKey(a), a);
  }
  const plan = planAssignmentChanges(result.records, stored);

  return {
    rows: result.rows,
    created: plan.create.length,
    changed: plan.update.length,
    unchanged: plan.unchanged,
    async apply(tx) {
      await insertMany(tx, 'plan_assignments', [...KEY, ...FIELDS], plan.create.map(values));
      await updateMany(tx, 'plan_assignments', KEY, FIELDS, plan.update.map((u) => values(u.record)), 'updated_at = now()');
      return [
        ...plan.create.map((a) => ({ action: 'assignment.create', entityType: 'plan_assignment', entityId: assignmentKey(a), after: fields(a) })),
        ...plan.update.map((u) => ({
          action: 'assignment.update',
          entityType: 'plan_assignment',
          entityId: assignmentKey(u.record),
          before: pick(u.before, u.changed),
          after: pick(u.record, u.changed),
        })),
      ];
    },
  };
}

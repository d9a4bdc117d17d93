import { AssignmentFields, assignmentKey, planAssignmentChanges, validateAssignmentsCsv } from '../core/intake/assignment-intake';
import { pick } from '../core/intake/intake';
import { AssignmentsRepository } from '../assignments/assignments.repository';
import { PlanVersionsRepository } from '../plans/plan-versions.repository';
import { RepsRepository } from '../reps/reps.repository';
import { keyedImport } from './keyed-import';

/** assignments.csv: keyed by rep_id + plan_id + start_date; the rep must be stored and the plan loaded. */
export function assignmentImport(reps: RepsRepository, assignments: AssignmentsRepository, planVersions: PlanVersionsRepository) {
  return keyedImport({
    action: 'assignment',
    entityType: 'plan_assignment',
    key: assignmentKey,
    async read(em, { file, content, onProgress, settings }) {
      const known = await reps.ids(em);
      const plans = await planVersions.planIds(em);
      return validateAssignmentsCsv(content, file, { repExists: (id) => known.has(id), planExists: (id) => plans.has(id), onProgress, maxErrors: settings.maxErrors });
    },
    async plan(em, { records }) {
      const stored = await assignments.ofReps(em, [...new Set(records.map((r) => r.repId))]);
      return planAssignmentChanges(records, new Map(stored.map((a) => [assignmentKey(a), a])));
    },
    insert: (tx, records) => assignments.insertMany(tx, records),
    update: (tx, records) => assignments.updateMany(tx, records),
    fields: (a: AssignmentFields) => pick(a, ['repId', 'planId', 'startDate', 'endDate', 'annualQuota', 'targetVariable', 'baseSalary']),
    updateShows: 'changed',
  });
}

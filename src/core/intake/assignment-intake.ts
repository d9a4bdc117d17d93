import { readCsv, RowErrors } from '../csv/read-csv';
import { Decimal } from '../money/decimal';
import { ChangePlan, changedFields, IntakeResult, planChanges } from './intake';
import { NON_NEGATIVE_AMOUNT, RowFields } from './row-fields';

export const ASSIGNMENT_COLUMNS = ['rep_id', 'plan_id', 'start_date', 'end_date', 'annual_quota', 'target_variable', 'base_salary'] as const;

export interface AssignmentFields {
  repId: string;
  planId: string;
  startDate: string;
  endDate: string | null;
  annualQuota: Decimal;
  targetVariable: Decimal;
  baseSalary: Decimal;
}
export interface AssignmentRecord extends AssignmentFields {
  line: number;
}

/** Fields an import may change; rep_id + plan_id + start_date is the key. */
export const ASSIGNMENT_FIELDS = ['endDate', 'annualQuota', 'targetVariable', 'baseSalary'] as const;

export function assignmentKey(a: { repId: string; planId: string; startDate: string }): string {
  return `${a.repId}|${a.planId}|${a.startDate}`;
}

export interface AssignmentIntakeContext {
  repExists: (repId: string) => boolean;
  /** Whether a plan id is loaded; a typo would otherwise block every later calculation. Absent: not checked. */
  planExists?: (planId: string) => boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** How many problems a rejected file lists (default MAX_LISTED_ERRORS); all are counted. */
  maxErrors?: number;
}

export function validateAssignmentsCsv(content: Buffer | string, file: string, ctx: AssignmentIntakeContext): IntakeResult<AssignmentRecord> {
  const errors = new RowErrors(ASSIGNMENT_COLUMNS, ctx.maxErrors);
  const f = new RowFields(file, errors);
  const records: AssignmentRecord[] = [];
  const firstLine = new Map<string, number>();

  const { rows } = readCsv(content, { file, columns: ASSIGNMENT_COLUMNS, errors, onProgress: ctx.onProgress }, (row) => {
    f.at(row);
    const repId = f.id('rep_id');
    if (repId !== undefined && !ctx.repExists(repId)) f.fail('rep_id', `rep "${repId}" is not in the database`);
    const planId = f.id('plan_id');
    if (planId !== undefined && ctx.planExists && !ctx.planExists(planId)) f.fail('plan_id', `plan "${planId}" is not loaded (see plans/)`);
    const startDate = f.date('start_date');
    const endDate = f.date('end_date', 'optional');
    if (startDate && endDate && endDate < startDate) f.fail('end_date', `"${endDate}" is before start_date ${startDate}`);
    const annualQuota = f.decimal('annual_quota', NON_NEGATIVE_AMOUNT);
    const targetVariable = f.decimal('target_variable', NON_NEGATIVE_AMOUNT);
    const baseSalary = f.decimal('base_salary', NON_NEGATIVE_AMOUNT);
    if (repId !== undefined && planId !== undefined && startDate !== undefined) {
      const key = assignmentKey({ repId, planId, startDate });
      const first = firstLine.get(key);
      if (first !== undefined) {
        f.fail('rep_id', `duplicate rep_id+plan_id+start_date "${repId}"/"${planId}"/"${startDate}" (first on line ${first})`);
      } else {
        firstLine.set(key, row.line);
      }
    }
    if (f.ok) {
      records.push({ line: row.line, repId: repId!, planId: planId!, startDate: startDate!, endDate: endDate!, annualQuota: annualQuota!, targetVariable: targetVariable!, baseSalary: baseSalary! });
    }
  });

  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

export function planAssignmentChanges(
  records: readonly AssignmentRecord[],
  stored: ReadonlyMap<string, AssignmentFields>,
): ChangePlan<AssignmentRecord, AssignmentFields> {
  return planChanges(records, stored, assignmentKey, (before, after) => changedFields<AssignmentFields>(before, after, ASSIGNMENT_FIELDS));
}

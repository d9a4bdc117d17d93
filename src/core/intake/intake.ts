import { RowError } from '../csv/read-csv';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal } from '../money/decimal';

export const INTAKE_KINDS = ['reps', 'assignments', 'bookings', 'fx', 'payroll', 'payments', 'activities', 'objectives'] as const;
export type IntakeKind = (typeof INTAKE_KINDS)[number];

export function isIntakeKind(value: string): value is IntakeKind {
  return (INTAKE_KINDS as readonly string[]).includes(value);
}

/** What validating one file gives: typed records, or (when `errors` is not empty) the reasons to reject it. */
export interface IntakeResult<T> {
  /** Data rows in the file. */
  rows: number;
  /** Meaningful only when `errors` is empty. */
  records: T[];
  /** The first problems in reading order (at most the error limit)... */
  errors: RowError[];
  /** ...of this many in all (or at least this many, when errorCountIsLowerBound). */
  errorCount: number;
  errorCountIsLowerBound?: boolean;
}

/** How a valid file compares with what is stored: what to insert, what to update (and from what), what to leave. */
export interface ChangePlan<R, E> {
  create: R[];
  update: { record: R; before: E; changed: string[] }[];
  unchanged: number;
}

/**
 * A file's records against the stored records of the same key: those with a new key are created, those `changed`
 * finds fields in are updated, the rest are unchanged (re-importing a file changes nothing).
 */
export function planChanges<S, R extends S>(
  records: readonly R[],
  stored: ReadonlyMap<string, S>,
  key: (r: S) => string,
  changed: (before: S, after: R) => string[],
): ChangePlan<R, S> {
  const plan: ChangePlan<R, S> = { create: [], update: [], unchanged: 0 };
  for (const record of records) {
    const before = stored.get(key(record));
    if (!before) {
      plan.create.push(record);
      continue;
    }
    const fields = changed(before, record);
    if (fields.length) plan.update.push({ record, before, changed: fields });
    else plan.unchanged++;
  }
  return plan;
}

/**
 * A file with any bad row is rejected whole; the details list the problems as {file, line, column, message}, the
 * first `errors.length` of `errorCount` when there are more than the error limit.
 */
export function importRejected(file: string, errors: RowError[], errorCount = errors.length, lowerBound = false): CommissionError {
  const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  const more = errorCount - errors.length;
  const lines = new Set(errors.map((e) => e.line)).size;
  const what =
    more > 0
      ? `${lowerBound ? 'at least ' : ''}${count(errorCount, 'error', 'errors')}; the first ${errors.length.toLocaleString('en-US')} are listed, and ${lowerBound ? 'at least ' : ''}${more.toLocaleString('en-US')} more` +
        (lowerBound ? ' (once the list was full, checks across rows of bookings first seen later were not made)' : '')
      : `${count(errorCount, 'error', 'errors')} on ${count(lines, 'line', 'lines')}`;
  return new CommissionError(CommissionErrorCode.IMPORT_REJECTED, `${file} rejected, nothing was imported: ${what}`, errors);
}

/** The errors of an intake result as importRejected wants them. */
export function rejectionOf(file: string, result: { errors: RowError[]; errorCount: number; errorCountIsLowerBound?: boolean }): CommissionError {
  return importRejected(file, result.errors, result.errorCount, result.errorCountIsLowerBound);
}

/** The fields that differ; Decimal values compare by value, so "100" equals "100.000000". */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): string[] {
  return fields.filter((k) => !sameValue(before[k], after[k]));
}

/** Equality for field values: Decimals by value, everything else strictly. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Decimal && b instanceof Decimal) return a.eq(b);
  return a === b;
}

/** Picks the named fields, for audit before/after payloads. */
export function pick<T extends object>(value: T, fields: readonly string[]): Partial<T> {
  const out: Partial<T> = {};
  for (const f of fields) (out as Record<string, unknown>)[f] = (value as Record<string, unknown>)[f];
  return out;
}

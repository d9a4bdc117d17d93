import { RowError } from '../csv/read-csv';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal } from '../money/decimal';

export const INTAKE_KINDS = ['reps', 'assignments', 'bookings', 'fx', 'payroll'] as const;
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
  errors: RowError[];
}

/** How a valid file compares with what is stored: what to insert, what to update (and from what), what to leave. */
export interface ChangePlan<R, E> {
  create: R[];
  update: { record: R; before: E; changed: string[] }[];
  unchanged: number;
}

/** A file with any bad row is rejected whole; the details list every problem as {file, line, column, message}. */
export function importRejected(file: string, errors: RowError[]): CommissionError {
  const lines = new Set(errors.map((e) => e.line)).size;
  return new CommissionError(
    CommissionErrorCode.IMPORT_REJECTED,
    `${file} rejected, nothing was imported: ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} on ${lines} ${lines === 1 ? 'line' : 'lines'}`,
    errors,
  );
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

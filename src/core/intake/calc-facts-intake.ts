import { isPeriod } from '../calendar/dates';
import { readCsv, RowError, RowErrors } from '../csv/read-csv';
import { ActivityFacts, ObjectiveFacts, PaymentFacts } from '../calculation/calculation-types';
import { Decimal } from '../money/decimal';
import { IntakeResult } from './intake';
import { DecimalRule, RowFields } from './row-fields';

/**
 * The facts plan mechanics read besides bookings (issue 15): cash collected (payments.csv), qualifying events
 * (activities.csv) and objective results (objectives.csv). Each file is keyed (payment_id; activity_id; rep_id +
 * objective_id + window): a key seen before is an update of that row, a key seen twice in one file an error.
 */

export const PAYMENT_COLUMNS = ['payment_id', 'booking_id', 'amount', 'currency', 'paid_date', 'kind'] as const;
export const ACTIVITY_COLUMNS = ['activity_id', 'rep_id', 'kind', 'date', 'quantity'] as const;
export const OBJECTIVE_COLUMNS = ['rep_id', 'objective_id', 'window', 'score'] as const;

/** numeric(24,6), positive: a payment, credit note or refund is a positive amount; `kind` says which way it goes. */
const PAYMENT_AMOUNT: DecimalRule = { scale: 6, integerDigits: 18, sign: 'positive' };
const QUANTITY: DecimalRule = { scale: 6, integerDigits: 12, sign: 'positive' };
const SCORE: DecimalRule = { scale: 6, integerDigits: 6, sign: 'nonNegative' };
const PAYMENT_KINDS: readonly string[] = ['payment', 'credit_note', 'refund'];
/** "2026" (year), "2026-Q1" (quarter) or "2026-03" (month): the key of a component window. */
const WINDOW_KEY = /^\d{4}(-Q[1-4])?$/;

export type Keyed<T> = T & { line: number };

export const paymentKey = (p: Pick<PaymentFacts, 'paymentId'>) => p.paymentId;
export const activityKey = (a: Pick<ActivityFacts, 'activityId'>) => a.activityId;
export const objectiveKey = (o: Pick<ObjectiveFacts, 'repId' | 'objectiveId' | 'window'>) => `${o.repId}|${o.objectiveId}|${o.window}`;

/** Finds a key's first line, reporting a repeat on `column`. */
function once(seen: Map<string, number>, f: RowFields, key: string, column: string, what: string): void {
  const first = seen.get(key);
  if (first !== undefined) f.fail(column, `duplicate ${what} (first on line ${first})`);
  else seen.set(key, f.line);
}

/**
 * payments.csv: payment_id,booking_id,amount,currency,paid_date,kind; kind is payment, credit_note or refund. The
 * bookings named are checked against the store afterwards (paymentBookingErrors), once the file's ids are known.
 */
export function validatePaymentsCsv(content: Buffer | string, file: string, maxErrors?: number): IntakeResult<Keyed<PaymentFacts>> {
  const errors = new RowErrors(PAYMENT_COLUMNS, maxErrors);
  const f = new RowFields(file, errors);
  const records: Keyed<PaymentFacts>[] = [];
  const seen = new Map<string, number>();
  const { rows } = readCsv(content, { file, columns: PAYMENT_COLUMNS, errors }, (row) => {
    f.at(row);
    const paymentId = f.id('payment_id');
    if (paymentId !== undefined) once(seen, f, paymentId, 'payment_id', `payment_id "${paymentId}"`);
    const bookingId = f.id('booking_id');
    const amount = f.decimal('amount', PAYMENT_AMOUNT);
    const currency = f.currency('currency');
    const paidDate = f.date('paid_date');
    const kind = f.text('kind');
    if (kind !== undefined && !PAYMENT_KINDS.includes(kind)) f.fail('kind', `"${kind}" is not one of payment, credit_note, refund`);
    if (f.ok) records.push({ line: row.line, paymentId: paymentId!, bookingId: bookingId!, amount: amount!, currency: currency!, paidDate: paidDate!, kind: kind as PaymentFacts['kind'] });
  });
  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

/** Each payment's booking must exist, and the payment be in its currency (the current version's). */
export function paymentBookingErrors(records: Keyed<PaymentFacts>[], file: string, bookingCurrency: ReadonlyMap<string, string>): RowError[] {
  const out: RowError[] = [];
  for (const r of records) {
    const expected = bookingCurrency.get(r.bookingId);
    if (expected === undefined) out.push({ file, line: r.line, column: 'booking_id', message: `unknown booking "${r.bookingId}"` });
    else if (r.currency !== expected) out.push({ file, line: r.line, column: 'currency', message: `"${r.currency}" is not the currency of booking ${r.bookingId} (${expected})` });
  }
  return out;
}

/** activities.csv: activity_id,rep_id,kind,date,quantity (quantity empty: 1). The rep must exist. */
export function validateActivitiesCsv(content: Buffer | string, file: string, knownReps: ReadonlySet<string>, maxErrors?: number): IntakeResult<Keyed<ActivityFacts>> {
  const errors = new RowErrors(ACTIVITY_COLUMNS, maxErrors);
  const f = new RowFields(file, errors);
  const records: Keyed<ActivityFacts>[] = [];
  const seen = new Map<string, number>();
  const { rows } = readCsv(content, { file, columns: ACTIVITY_COLUMNS, errors }, (row) => {
    f.at(row);
    const activityId = f.id('activity_id');
    if (activityId !== undefined) once(seen, f, activityId, 'activity_id', `activity_id "${activityId}"`);
    const repId = f.id('rep_id');
    if (repId !== undefined && !knownReps.has(repId)) f.fail('rep_id', `unknown rep "${repId}"`);
    const kind = f.id('kind');
    const date = f.date('date');
    const quantity = f.raw('quantity') === '' ? new Decimal(1) : f.decimal('quantity', QUANTITY);
    if (f.ok) records.push({ line: row.line, activityId: activityId!, repId: repId!, kind: kind!, date: date!, quantity: quantity! });
  });
  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

/** objectives.csv: rep_id,objective_id,window,score. window is 2026, 2026-Q1 or 2026-03; score ≥ 0 (1 = achieved). */
export function validateObjectivesCsv(content: Buffer | string, file: string, knownReps: ReadonlySet<string>, maxErrors?: number): IntakeResult<Keyed<ObjectiveFacts>> {
  const errors = new RowErrors(OBJECTIVE_COLUMNS, maxErrors);
  const f = new RowFields(file, errors);
  const records: Keyed<ObjectiveFacts>[] = [];
  const seen = new Map<string, number>();
  const { rows } = readCsv(content, { file, columns: OBJECTIVE_COLUMNS, errors }, (row) => {
    f.at(row);
    const repId = f.id('rep_id');
    if (repId !== undefined && !knownReps.has(repId)) f.fail('rep_id', `unknown rep "${repId}"`);
    const objectiveId = f.id('objective_id');
    const window = f.text('window');
    if (window !== undefined && !WINDOW_KEY.test(window) && !isPeriod(window)) f.fail('window', `"${window}" is not a window: a year (2026), a quarter (2026-Q1) or a month (2026-03)`);
    const score = f.decimal('score', SCORE);
    if (repId !== undefined && objectiveId !== undefined && window !== undefined) once(seen, f, objectiveKey({ repId, objectiveId, window }), 'objective_id', `rep_id + objective_id + window "${repId}"/"${objectiveId}"/"${window}"`);
    if (f.ok) records.push({ line: row.line, repId: repId!, objectiveId: objectiveId!, window: window!, score: score! });
  });
  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

/**
 * The demo payroll file: what payroll "actually paid" for the closed payouts, with a few injected errors, in the
 * payroll import format (`rep_id,period,currency,amount,paid_date,reference`), and the manifest of those errors so a
 * test or an auditor can check that reconciliation finds exactly them. Pure: the same payouts and seed give the same
 * rows; amounts are Decimal (the PRNG only draws integer cents).
 *
 * Payroll pays every non-zero payout of a period in the payee's currency, on the 15th of the next month, with the
 * reference the payroll export gives it (`CE-<period>-<rep_id>`). Then, per period (ascending):
 *
 * - n = the period's non-zero payouts; errors k = 0 when n = 0, else min(n, max(2, round(n × 1.5%)));
 * - k distinct payees are drawn from the non-zero payouts (rep order, partial Fisher-Yates with the payroll PRNG);
 * - the i-th error of the whole file (counting across periods) is of kind `PAYROLL_ERROR_KINDS[i mod 6]`:
 *   1. `amount_small`: paid the payout ± 0.01..9.99 (minus only while the amount stays above zero) → mismatched;
 *   2. `missing`: not paid at all → missing;
 *   3. `amount_large`: paid the payout ± 100.00..2500.00 (minus only while it stays above zero) → mismatched;
 *   4. `duplicate`: paid twice, the second record the next day with reference `CE-<period>-<rep_id>-2` → the payee
 *      matched, the second record unexpected;
 *   5. `wrong_currency`: the right figure in another currency (EUR for a USD payee, USD for any other) → mismatched;
 *   6. `unexpected`: the drawn payee is paid correctly, and someone with no non-zero payout this period (drawn among
 *      the payees in rep order) is paid 500.00..5000.00 in their currency, reference `OFF-<period>-<rep_id>` →
 *      unexpected; when everyone has a payout it becomes a `duplicate` instead.
 *
 * Every other payee of the period is paid exactly (matched).
 */
import { addDays, addMonths, Period } from '../calendar/dates';
import { Decimal } from '../money/decimal';
import { DemoPayee, DemoPayout } from './demo-payouts';
import { rng } from './generate-demo';

export const PAYROLL_ERROR_KINDS = ['amount_small', 'missing', 'amount_large', 'duplicate', 'wrong_currency', 'unexpected'] as const;
export type PayrollErrorKind = (typeof PAYROLL_ERROR_KINDS)[number];

/** The reconciliation status the error produces (for `duplicate`: the status of the second record). */
export const EXPECTED_STATUS: Record<PayrollErrorKind, 'mismatched' | 'missing' | 'unexpected'> = {
  amount_small: 'mismatched',
  missing: 'missing',
  amount_large: 'mismatched',
  duplicate: 'unexpected',
  wrong_currency: 'mismatched',
  unexpected: 'unexpected',
};

/** One row of payroll.csv. */
export interface DemoPayrollRow {
  repId: string;
  period: Period;
  currency: string;
  amount: string;
  paidDate: string;
  reference: string;
}

/** One injected error: what the engine computed and what payroll paid instead. */
export interface InjectedPayrollError {
  period: Period;
  repId: string;
  kind: PayrollErrorKind;
  expectedStatus: 'mismatched' | 'missing' | 'unexpected';
  /** The payout and its currency; null for `unexpected` (nothing was computed). */
  computedCurrency: string | null;
  computed: string | null;
  /** The record in error (for `duplicate`, the second one); null for `missing`. */
  paidCurrency: string | null;
  paid: string | null;
  /** paid − computed for amount errors; null otherwise. */
  difference: string | null;
  reference: string | null;
}

export interface DemoPayroll {
  rows: DemoPayrollRow[];
  errors: InjectedPayrollError[];
}

/** Errors per period: about 1.5% of the non-zero payouts, at least two (so a small demo shows each kind over three months). */
export function errorsFor(n: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.max(2, Math.floor((n * 15 + 500) / 1000)));
}

/** The payroll PRNG: its own stream from the seed, so the payroll file never disturbs the data files. */
const PAYROLL_STREAM = 0x5041_594c; // "PAYL"

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Payroll pays a closed month on the 15th of the next one. */
export function paidDateOf(period: Period): string {
  return `${addMonths(period, 1)}-15`;
}

export function referenceOf(period: Period, repId: string): string {
  return `CE-${period}-${repId}`;
}

/**
 * Payroll rows for `payouts` (any periods; zero payouts are not paid) with the documented errors injected. `payees`
 * are the reps payroll could pay by mistake (the `unexpected` error picks one without a payout).
 */
export function demoPayroll(payouts: readonly DemoPayout[], payees: readonly DemoPayee[], seed: number): DemoPayroll {
  const random = rng((seed ^ PAYROLL_STREAM) >>> 0);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const cents = (lo: number, hi: number) => new Decimal(int(lo, hi)).dividedBy(100);
  const everyone = [...payees].sort((a, b) => byText(a.repId, b.repId));
  const periods = [...new Set(payouts.map((p) => p.period))].sort(byText);
  const rows: DemoPayrollRow[] = [];
  const errors: InjectedPayrollError[] = [];
  let i = 0;

  for (const period of periods) {
    const paidDate = paidDateOf(period);
    const paid = payouts.filter((p) => p.period === period && !new Decimal(p.payout).isZero()).sort((a, b) => byText(a.repId, b.repId));
    const k = errorsFor(paid.length);
    const order = paid.map((_, j) => j);
    for (let j = 0; j < k; j++) {
      const r = j + Math.floor(random() * (order.length - j));
      [order[j], order[r]] = [order[r], order[j]];
    }
    const kindOf = new Map<string, PayrollErrorKind>();
    const unexpected: DemoPayee[] = [];
    const withPayout = new Set(paid.map((p) => p.repId));
    for (let j = 0; j < k; j++) {
      let kind = PAYROLL_ERROR_KINDS[i++ % PAYROLL_ERROR_KINDS.length];
      if (kind === 'unexpected') {
        const candidates = everyone.filter((e) => !withPayout.has(e.repId) && !unexpected.includes(e));
        if (candidates.length) unexpected.push(candidates[Math.floor(random() * candidates.length)]);
        else kind = 'duplicate';
      }
      if (kind !== 'unexpected') kindOf.set(paid[order[j]].repId, kind);
    }

    for (const p of paid) {
      const payout = new Decimal(p.payout);
      const reference = referenceOf(period, p.repId);
      const exact: DemoPayrollRow = { repId: p.repId, period, currency: p.currency, amount: payout.toFixed(2), paidDate, reference };
      const kind = kindOf.get(p.repId);
      const error = (e: Pick<InjectedPayrollError, 'paidCurrency' | 'paid' | 'difference' | 'reference'>) =>
        errors.push({ period, repId: p.repId, kind: kind as PayrollErrorKind, expectedStatus: EXPECTED_STATUS[kind as PayrollErrorKind], computedCurrency: p.currency, computed: payout.toFixed(2), ...e });
      if (kind === undefined) {
        rows.push(exact);
      } else if (kind === 'amount_small' || kind === 'amount_large') {
        const delta = kind === 'amount_small' ? cents(1, 999) : cents(10_000, 250_000);
        const down = random() < 0.5 && payout.minus(delta).greaterThan(0);
        const amount = down ? payout.minus(delta) : payout.plus(delta);
        rows.push({ ...exact, amount: amount.toFixed(2) });
        error({ paidCurrency: p.currency, paid: amount.toFixed(2), difference: amount.minus(payout).toFixed(2), reference });
      } else if (kind === 'missing') {
        error({ paidCurrency: null, paid: null, difference: null, reference: null });
      } else if (kind === 'duplicate') {
        const second: DemoPayrollRow = { ...exact, paidDate: addDays(paidDate, 1), reference: `${reference}-2` };
        rows.push(exact, second);
        error({ paidCurrency: p.currency, paid: second.amount, difference: null, reference: second.reference });
      } else {
        const currency = p.currency === 'USD' ? 'EUR' : 'USD';
        rows.push({ ...exact, currency });
        error({ paidCurrency: currency, paid: exact.amount, difference: null, reference });
      }
    }

    for (const u of unexpected) {
      const amount = cents(50_000, 500_000).toFixed(2);
      const reference = `OFF-${period}-${u.repId}`;
      rows.push({ repId: u.repId, period, currency: u.currency, amount, paidDate, reference });
      errors.push({ period, repId: u.repId, kind: 'unexpected', expectedStatus: 'unexpected', computedCurrency: null, computed: null, paidCurrency: u.currency, paid: amount, difference: null, reference });
    }
  }

  rows.sort((a, b) => byText(a.period, b.period) || byText(a.repId, b.repId) || byText(a.reference, b.reference));
  errors.sort((a, b) => byText(a.period, b.period) || byText(a.repId, b.repId) || byText(a.kind, b.kind));
  return { rows, errors };
}

export const PAYROLL_HEADER = 'rep_id,period,currency,amount,paid_date,reference';
export const PAYROLL_ERRORS_HEADER = 'period,rep_id,kind,expected_status,computed_currency,computed,paid_currency,paid,difference,reference';

/** payroll.csv lines, header first (ids, codes and amounts never need quoting). */
export function* payrollCsvLines(rows: readonly DemoPayrollRow[]): Generator<string> {
  yield PAYROLL_HEADER;
  for (const r of rows) yield [r.repId, r.period, r.currency, r.amount, r.paidDate, r.reference].join(',');
}

/** payroll-errors.csv lines, header first: the manifest of injected errors (empty cells for nulls). */
export function* payrollErrorCsvLines(errors: readonly InjectedPayrollError[]): Generator<string> {
  yield PAYROLL_ERRORS_HEADER;
  for (const e of errors) {
    yield [e.period, e.repId, e.kind, e.expectedStatus, e.computedCurrency, e.computed, e.paidCurrency, e.paid, e.difference, e.reference].map((v) => v ?? '').join(',');
  }
}

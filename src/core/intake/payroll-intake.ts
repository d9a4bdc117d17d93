import { isPeriod } from '../calendar/dates';
import { MAX_LISTED_ERRORS, readCsv, RowErrors } from '../csv/read-csv';
import { Decimal } from '../money/decimal';
import { ISO_MINOR_UNITS, MAX_MINOR_UNITS, MinorUnits } from '../money/minor-units';
import { IntakeResult } from './intake';
import { DecimalRule, RowFields } from './row-fields';

export const PAYROLL_COLUMNS = ['rep_id', 'period', 'currency', 'amount', 'paid_date', 'reference'] as const;

/** What payroll paid, in its currency's minor unit (checked per row: JPY 0 decimals, USD 2, BHD 3). */
export const PAID_AMOUNT: DecimalRule = { scale: MAX_MINOR_UNITS, integerDigits: 18, sign: 'any' };

export interface PayrollRow {
  line: number;
  repId: string;
  period: string;
  currency: string;
  amount: Decimal;
  paidDate: string;
  reference: string;
}

/** Identity of a payroll row, for "is this period's file the same as what is stored". */
export function payrollRowKey(r: Omit<PayrollRow, 'line'>): string {
  return [r.repId, r.period, r.currency, r.amount.toFixed(), r.paidDate, r.reference].join('|');
}

/**
 * payroll.csv: rep_id,period,currency,amount,paid_date,reference. Every rep must exist; a reference appears once per
 * file; an amount has at most its currency's minor unit of decimals. Any bad row rejects the file.
 */
export function validatePayrollCsv(content: Buffer | string, file: string, knownReps: ReadonlySet<string>, minorUnits: MinorUnits = ISO_MINOR_UNITS, maxErrors = MAX_LISTED_ERRORS): IntakeResult<PayrollRow> {
  const errors = new RowErrors(PAYROLL_COLUMNS, maxErrors);
  const f = new RowFields(file, errors);
  const records: PayrollRow[] = [];
  const firstLine = new Map<string, number>();
  const { rows } = readCsv(content, { file, columns: PAYROLL_COLUMNS, errors }, (row) => {
    f.at(row);
    const repId = f.id('rep_id');
    if (repId !== undefined && !knownReps.has(repId)) f.fail('rep_id', `unknown rep "${repId}"`);
    const period = f.text('period');
    if (period !== undefined && !isPeriod(period)) f.fail('period', `"${period}" is not a period in the form YYYY-MM`);
    const currency = f.currency('currency');
    const amount = f.decimal('amount', PAID_AMOUNT);
    if (amount !== undefined && currency !== undefined && amount.decimalPlaces() > minorUnits.of(currency)) {
      const digits = minorUnits.of(currency);
      f.fail('amount', `"${f.raw('amount')}" has more than ${digits} decimal${digits === 1 ? '' : 's'} (the minor unit of ${currency})`);
    }
    const paidDate = f.date('paid_date');
    const reference = f.id('reference');
    if (reference !== undefined) {
      const first = firstLine.get(reference);
      if (first !== undefined) f.fail('reference', `duplicate reference "${reference}" (first on line ${first})`);
      else firstLine.set(reference, row.line);
    }
    if (f.ok) records.push({ line: row.line, repId: repId!, period: period!, currency: currency!, amount: amount!, paidDate: paidDate!, reference: reference! });
  });
  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

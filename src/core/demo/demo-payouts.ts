/**
 * What the engine computes for a demo data set, without a database: the generator's rows go through the same intake
 * validators an import uses, become the facts a calculation run reads (reps, assignments, FX, every booking with its
 * credits), and the pure calculation core computes the months one after the other, chained as the engine chains
 * consecutive periods on a store that holds nothing else. Pure: no I/O, no clock.
 */
import { calculatePeriods, MultiPeriodInput } from '../calculation/calculate-period';
import { AssignmentFacts, BookingFacts, FxRateFacts, PlanVersionFacts, RepFacts } from '../calculation/calculation-types';
import { addMonths, Period, periodEnd } from '../calendar/dates';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { validateAssignmentsCsv } from '../intake/assignment-intake';
import { validateBookingsCsv } from '../intake/booking-intake';
import { validateFxCsv } from '../intake/fx-intake';
import { IntakeResult } from '../intake/intake';
import { validateRepsCsv } from '../intake/rep-intake';
import { DEMO_FIRST_PERIOD, DemoGenerator, DemoOptions } from './generate-demo';

/** One payee's payout of one period, as `payouts --format csv` prints it (decimal strings). */
export interface DemoPayout {
  repId: string;
  period: Period;
  currency: string;
  payout: string;
}

/** A payee as payroll knows them: who can be paid, in which currency. */
export interface DemoPayee {
  repId: string;
  currency: string;
}

/** The first `months` periods of the demo year: 2026-01, 2026-02, ... (at most twelve). */
export function demoPeriods(months: number): Period[] {
  if (!Number.isSafeInteger(months) || months < 0 || months > 12) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `payroll months must be 0..12 (the demo data covers 2026), got ${months}`);
  }
  return Array.from({ length: months }, (_, i) => addMonths(DEMO_FIRST_PERIOD, i));
}

function intake<T>(what: string, result: IntakeResult<T>): T[] {
  if (result.errors.length) {
    const e = result.errors[0];
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `generated ${what} rejected by the intake (${result.errors.length} errors; line ${e.line} ${e.column ?? ''}: ${e.message})`);
  }
  return result.records;
}

/**
 * The calculation input of the first `months` periods of the data set `opts` describes. The generator shares one
 * PRNG across its files, so a fresh generator is replayed in the order `demo generate` writes them (reps,
 * assignments, FX, bookings): the facts are exactly those of the written files. Bookings booked after the last period
 * are dropped before intake (a calculation reads bookings booked by its last period's end), as are later FX rates.
 */
export function demoCalculationInput(opts: DemoOptions, plans: PlanVersionFacts[], months: number): MultiPeriodInput {
  const periods = demoPeriods(months);
  const end = periodEnd(periods.length ? periods[periods.length - 1] : addMonths(DEMO_FIRST_PERIOD, -1));
  const g = new DemoGenerator(opts);
  const repCsv = [...g.repRows()].join('\n');
  const assignmentCsv = [...g.assignmentRows()].join('\n');
  const fxCsv = [...g.fxRows()].filter((l, i) => i === 0 || l.slice(0, 10) <= end).join('\n');
  const bookingLines: string[] = [];
  let header = true;
  for (const l of g.bookingRows()) {
    // booked_date is the tenth column; a booking's split rows share it, so a booking is kept or dropped whole.
    if (header || l.split(',')[9] <= end) bookingLines.push(l);
    header = false;
  }

  const reps = intake('reps.csv', validateRepsCsv(repCsv, 'reps.csv', { storedManagers: new Map() }));
  const known = new Set(reps.map((r) => r.repId));
  const planIds = new Set(plans.map((p) => p.planId));
  const assignments = intake('assignments.csv', validateAssignmentsCsv(assignmentCsv, 'assignments.csv', { repExists: (id) => known.has(id), planExists: (id) => planIds.has(id) }));
  const fx = intake('fx.csv', validateFxCsv(fxCsv, 'fx.csv'));
  const bookings = intake('bookings.csv', validateBookingsCsv(bookingLines.join('\n'), 'bookings.csv', { repExists: (id) => known.has(id) }));

  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    periods,
    reps: reps
      .map<RepFacts>((r) => ({ repId: r.repId, managerId: r.managerId, hireDate: r.hireDate, terminationDate: r.terminationDate, currency: r.currency }))
      .sort((a, b) => byText(a.repId, b.repId)),
    assignments: assignments
      .map<AssignmentFacts>((a) => ({ repId: a.repId, planId: a.planId, startDate: a.startDate, endDate: a.endDate, annualQuota: a.annualQuota, targetVariable: a.targetVariable, baseSalary: a.baseSalary }))
      .sort((a, b) => byText(a.repId, b.repId) || byText(a.startDate, b.startDate) || byText(a.planId, b.planId)),
    bookings: bookings
      .map<BookingFacts>((b) => ({
        bookingId: b.bookingId,
        version: 1,
        customerId: b.customerId,
        type: b.type,
        product: b.product,
        amount: b.amount,
        currency: b.currency,
        termMonths: b.termMonths,
        bookedDate: b.bookedDate,
        cancelledDate: b.cancelledDate,
        credits: b.credits.map((c) => ({ repId: c.repId, splitPct: c.splitPct })),
      }))
      .sort((a, b) => byText(a.bookingId, b.bookingId)),
    fxRates: fx
      .map<FxRateFacts>((f) => ({ date: f.date, from: f.fromCurrency, to: f.toCurrency, rate: f.rate }))
      .sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to) || byText(a.date, b.date)),
    plans,
    prior: new Map(),
  };
}

/**
 * What the engine pays for the first `months` periods of the data set: every payee of every period (zero payouts
 * included, as the engine stores them), in period then rep order.
 */
export async function demoPayouts(opts: DemoOptions, plans: PlanVersionFacts[], months: number): Promise<{ payouts: DemoPayout[]; payees: DemoPayee[] }> {
  const periods = demoPeriods(months);
  if (!periods.length) return { payouts: [], payees: [] };
  const input = demoCalculationInput(opts, plans, months);
  const payouts: DemoPayout[] = [];
  for await (const result of calculatePeriods(input)) {
    for (const p of result.payees) payouts.push({ repId: p.repId, period: p.period, currency: p.currency, payout: p.payout.toFixed(2) });
  }
  payouts.sort((a, b) => (a.period !== b.period ? (a.period < b.period ? -1 : 1) : a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
  return { payouts, payees: input.reps.map((r) => ({ repId: r.repId, currency: r.currency })) };
}

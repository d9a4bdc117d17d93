import { calculatePeriods, MultiPeriodInput } from '../core/calculation/calculate-period';
import { AdjustmentFacts, BookingFacts, PaymentFacts, PlanVersionFacts, PriorRecord, RepFacts } from '../core/calculation/calculation-types';
import { combineResultHash, figuresHash, figuresOf, payeeHash } from '../core/calculation/result-hash';
import { Period } from '../core/calendar/dates';
import { describeLine } from '../core/explain/line-words';
import { canonicalJson } from '../core/plans/canonical-json';
import { Decimal, WideDecimal, ZERO } from '../core/money/decimal';
import { MinorUnitOverrides, MinorUnits } from '../core/money/minor-units';
import { CopyText } from './copy-text';

/**
 * One shard's calculation as plain, structured-cloneable data in and out, so it runs the same on the main thread or
 * in a worker thread (compute-pool.ts): the loader reads the database into a ShardInput, `computeShard` runs the pure
 * core and returns the rows to write, and the writer inserts them. No I/O here.
 */
export interface ShardInput {
  periods: Period[];
  /** [repId, managerId, hireDate, terminationDate, currency] */
  reps: [string, string | null, string, string | null, string][];
  /** [repId, planId, startDate, endDate, annualQuota, targetVariable, baseSalary] */
  assignments: [string, string, string, string | null, string, string, string][];
  /** [date, from, to, rate] */
  fx: [string, string, string, string][];
  plans: PlanVersionFacts[];
  /**
   * One row per booking credit, ordered by booking id: [bookingId, version, customerId, type, product, amount, currency,
   * termMonths, bookedDate, cancelledDate, repId, splitPct, splitType, renewsBookingId, taxRate]
   */
  bookings: [string, number, string, string, string, string, string, number, string, string | null, string, string, string, string | null, string | null][];
  /** Contracts renewals renew that no credit row above carries: [bookingId, version, customerId, type, product, amount, currency, termMonths, bookedDate, cancelledDate, taxRate] */
  renewed?: [string, number, string, string, string, string, string, number, string, string | null, string | null][];
  prior: PriorRows;
  /** Per period: [id, repId, amount, reasonCode, note, originPeriod, originRef] */
  adjustments: [Period, [string, string, string, string, string, string | null, string | null][]][];
  repIds: string[];
  /** Minor units configured beyond ISO 4217, as the run recorded them. */
  minorUnits: MinorUnitOverrides;
  /** Plan mechanics' facts (issue 15), as the run recorded them: [paymentId, bookingId, amount, currency, paidDate, kind] */
  payments?: [string, string, string, string, string, string][];
  /** [activityId, repId, kind, date, quantity] */
  activities?: [string, string, string, string, string][];
  /** [repId, objectiveId, window, score] */
  objectives?: [string, string, string, string][];
}

/** What earlier periods' current runs recorded for the shard's payees, as the database returned it. */
export interface PriorRows {
  earned: [string, string][];
  balances: [string, string][];
  /** [repId, componentKey, ref, rounding, Σ amount, Σ amount_precise] */
  lines: [string, string, string | null, boolean, string, string][];
}

export interface ComputedPeriod {
  period: Period;
  payees: number;
  payeeHashes: [string, string][];
  /** Figures-only hashes (verify of runs hashed with version 1), when asked for. */
  figureHashes?: [string, string][];
  /** The payouts rows to write, in COPY text (columns PAYOUT_COLUMNS); empty when only hashes were asked for. */
  payoutCopy: string[];
  /** The payout_lines rows to write, in COPY text (columns LINE_COLUMNS). */
  lineCopy: string[];
}

/** The columns of the COPY texts, in order. */
export const PAYOUT_COLUMNS = ['run_id', 'rep_id', 'period', 'currency', 'earned_to_date', 'earned_before', 'earned', 'balance_before', 'draw', 'payout', 'balance', 'plans', 'windows', 'payee_hash'];
export const LINE_COLUMNS = ['run_id', 'rep_id', 'line_no', 'period', 'kind', 'component_key', 'ref', 'booking_id', 'origin_period', 'amount', 'amount_precise', 'description', 'trace', 'cause'];

export interface ComputeOptions {
  /** The pending run of each period, when rows are to be written (absent: hashes only, for verify). */
  runIds?: string[];
  /** Figures-only hashes too (verify of runs hashed with version 1). */
  figures?: boolean;
}

export function buildPrior(rows: PriorRows): Map<string, PriorRecord> {
  const prior = new Map<string, PriorRecord>();
  const get = (repId: string) => {
    let p = prior.get(repId);
    if (!p) prior.set(repId, (p = { earnedBefore: ZERO, balanceBefore: ZERO, keys: new Map() }));
    return p;
  };
  for (const [repId, earned] of rows.earned) get(repId).earnedBefore = new Decimal(earned);
  for (const [repId, balance] of rows.balances) get(repId).balanceBefore = new Decimal(balance);
  for (const [repId, key, ref, rounding, amount, precise] of rows.lines) {
    const p = get(repId);
    let k = p.keys.get(key);
    if (!k) p.keys.set(key, (k = { rounded: ZERO, byRef: new Map() }));
    k.rounded = k.rounded.plus(amount);
    if (!rounding && ref) k.byRef.set(ref, new WideDecimal(precise));
  }
  return prior;
}

function bookingsOf(rows: ShardInput['bookings']): BookingFacts[] {
  const out: BookingFacts[] = [];
  let b: BookingFacts | undefined;
  for (const [bookingId, version, customerId, type, product, amount, currency, termMonths, bookedDate, cancelledDate, repId, splitPct, splitType, renews, taxRate] of rows) {
    if (!b || b.bookingId !== bookingId) {
      b = { bookingId, version, customerId, type, product, amount: new Decimal(amount), currency, termMonths, bookedDate, cancelledDate, credits: [] };
      if (renews) b.renews = renews;
      if (taxRate !== null && taxRate !== undefined) b.taxRate = new Decimal(taxRate);
      out.push(b);
    }
    b.credits.push(splitType === 'overlay' ? { repId, splitPct: new Decimal(splitPct), splitType: 'overlay' } : { repId, splitPct: new Decimal(splitPct) });
  }
  return out;
}

/** The core's input for a shard (decimals and records from the structured-cloneable rows). */
export function calculationInputOf(input: ShardInput): MultiPeriodInput {
  const reps: RepFacts[] = input.reps.map(([repId, managerId, hireDate, terminationDate, currency]) => ({ repId, managerId, hireDate, terminationDate, currency }));
  const adjustments = new Map<Period, AdjustmentFacts[]>(
    input.adjustments.map(([period, rows]) => [
      period,
      rows.map(([id, repId, amount, reasonCode, note, originPeriod, originRef]) => ({ id, repId, amount: new Decimal(amount), reasonCode, note, originPeriod, originRef })),
    ]),
  );
  return {
    periods: input.periods,
    reps,
    assignments: input.assignments.map(([repId, planId, startDate, endDate, q, v, b]) => ({
      repId,
      planId,
      startDate,
      endDate,
      annualQuota: new Decimal(q),
      targetVariable: new Decimal(v),
      baseSalary: new Decimal(b),
    })),
    bookings: bookingsOf(input.bookings),
    renewedContracts: (input.renewed ?? []).map(([bookingId, version, customerId, type, product, amount, currency, termMonths, bookedDate, cancelledDate, taxRate]) => ({
      ...(taxRate !== null && taxRate !== undefined ? { taxRate: new Decimal(taxRate) } : {}),
      bookingId,
      version,
      customerId,
      type,
      product,
      amount: new Decimal(amount),
      currency,
      termMonths,
      bookedDate,
      cancelledDate,
      credits: [],
    })),
    fxRates: input.fx.map(([date, from, to, rate]) => ({ date, from, to, rate: new Decimal(rate) })),
    plans: input.plans,
    prior: buildPrior(input.prior),
    adjustments,
    onlyRepIds: new Set(input.repIds),
    minorUnits: new MinorUnits(input.minorUnits),
    payments: (input.payments ?? []).map(([paymentId, bookingId, amount, currency, paidDate, kind]) => ({
      paymentId,
      bookingId,
      amount: new Decimal(amount),
      currency,
      paidDate,
      kind: kind as PaymentFacts['kind'],
    })),
    activities: (input.activities ?? []).map(([activityId, repId, kind, date, quantity]) => ({ activityId, repId, kind, date, quantity: new Decimal(quantity) })),
    objectives: (input.objectives ?? []).map(([repId, objectiveId, window, score]) => ({ repId, objectiveId, window, score: new Decimal(score) })),
  };
}

export async function computeShard(input: ShardInput, opts: ComputeOptions): Promise<ComputedPeriod[]> {
  const out: ComputedPeriod[] = [];
  let k = 0;
  for await (const result of calculatePeriods(calculationInputOf(input))) {
    // each trace is serialised once, in canonical form: the text the hash covers is the text stored
    const traceTexts = result.payees.map((p) => p.lines.map((l) => canonicalJson(l.trace)));
    const payeeHashes = result.payees.map((p, i): [string, string] => [p.repId, payeeHash(p, traceTexts[i])]);
    const runId = opts.runIds?.[k++];
    const payouts = new CopyText();
    const lines = new CopyText();
    if (runId !== undefined) {
      result.payees.forEach((p, i) => {
        payouts.add([
          runId,
          p.repId,
          p.period,
          p.currency,
          p.earnedToDate.toFixed(p.minorUnits),
          p.earnedBefore.toFixed(p.minorUnits),
          p.earned.toFixed(p.minorUnits),
          p.balanceBefore.toFixed(p.minorUnits),
          p.draw.toFixed(p.minorUnits),
          p.payout.toFixed(p.minorUnits),
          p.balance.toFixed(p.minorUnits),
          JSON.stringify(p.plans),
          JSON.stringify(p.windows),
          payeeHashes[i][1],
        ]);
        p.lines.forEach((l, n) => {
          // The description is written once, in the words of the day (explain/line-words.ts); the hash never covers it.
          lines.add([runId, p.repId, n + 1, p.period, l.kind, l.componentKey, l.ref, l.bookingId, l.originPeriod, l.amount.toFixed(p.minorUnits), l.amountPrecise.toFixed(), describeLine(l, p.currency), traceTexts[i][n], l.cause]);
        });
      });
    }
    out.push({
      period: result.period,
      payees: result.payees.length,
      payeeHashes,
      ...(opts.figures ? { figureHashes: result.payees.map((p): [string, string] => [p.repId, figuresHash(figuresOf(p))]) } : {}),
      payoutCopy: payouts.done(),
      lineCopy: lines.done(),
    });
  }
  return out;
}

export { combineResultHash, payeeHash };

import { ConversionRate, ReportingConverter, TotalsByCurrency } from '../money/currency-totals';
import { Decimal, HUNDRED, ZERO, roundHalfUp } from '../money/decimal';
import { ISO_MINOR_UNITS, MinorUnits } from '../money/minor-units';

/** A closed payout of the period (the engine's number). */
export interface ClosedPayout {
  repId: string;
  currency: string;
  payout: Decimal;
  /** The payee's manager (their team) and plan, for the breakdowns. */
  team: string | null;
  plan: string | null;
}

/** What payroll actually paid. */
export interface PayrollRecord {
  id: string;
  repId: string;
  currency: string;
  amount: Decimal;
  paidDate: string;
  reference: string;
  team: string | null;
  plan: string | null;
}

/**
 * A later correction of a payout of this period: an upheld dispute or a manual adjustment that names it, or a
 * prior-period adjustment line caused by a backdated or amended booking (cancellations are policy and are not
 * passed in).
 */
export interface Correction {
  repId: string;
  source: 'dispute' | 'manual' | 'prior_period_adjustment';
  /** Where the correction was paid, and what it refers to. */
  paidInPeriod: string;
  ref: string;
  amount: Decimal;
}

export type MatchStatus = 'matched' | 'mismatched' | 'missing' | 'unexpected';

/** An amount in its own currency and in the reporting currency. */
export interface ErrorPart {
  currency: string;
  amount: string;
  /** In the reporting currency at the period-end rate, exact. */
  converted: string;
}

export interface ReconciliationRow {
  repId: string;
  status: MatchStatus;
  currency: string;
  computed: string | null;
  /** What payroll paid in `currency`, every record of the payee together (a payee's row) or the record (unexpected). */
  paid: string | null;
  /** paid − computed in the payout's currency, when payroll paid in it and did not match. */
  difference: string | null;
  /** References of the payee's records, the first one matched or compared. */
  reference: string | null;
  payrollRecordId: string | null;
  corrections: { source: Correction['source']; paidInPeriod: string; ref: string; amount: string }[];
  errorFree: boolean;
  /**
   * The error in `currency`: |Σ paid in it − computed| for a payee with a payout (the payout when nothing was paid),
   * |amount| for a record of a payee without one, 0 for a payee's second record (its money is in the payee's row).
   */
  errorAmount: string;
  /** Records paid in another currency than the payout's, each currency's Σ |amount|: all of it is error. */
  otherCurrencies: { currency: string; amount: string }[];
  /** The whole error in the reporting currency at the period-end rates, exact. */
  errorConverted: string;
  /**
   * |net later corrections| in `currency`. A correction makes the payee not error-free; its amount is reported
   * beside the error (sumAbsCorrections), not in it: the amount rate measures what payroll paid against the close.
   */
  correctionAmount: string;
  reasons: string[];
  team: string | null;
  plan: string | null;
}

export interface AccuracyFigures {
  /** Payees with a non-zero closed payout + unexpected payroll records. */
  totalPayouts: number;
  errorFreePayouts: number;
  /** error-free / total × 100, exact; null when there is nothing to measure. */
  countRatePct: string | null;
  /** The currency the two sums below are in, and the day of the rates that converted them. */
  reportingCurrency: string;
  ratesAsOf: string;
  /** Σ error, in the reporting currency, half-up to its minor unit (the rate uses the exact sum). */
  sumAbsError: string;
  /** Σ |closed payout|, in the reporting currency, half-up to its minor unit. */
  sumAbsClosedPayout: string;
  /** (1 − Σ error / Σ |closed payout|) × 100 over converted amounts, exact; null when no payout was closed. */
  dollarRatePct: string | null;
  /** Σ |net later corrections|, in the reporting currency, half-up to its minor unit: what the close got wrong. */
  sumAbsCorrections: string;
  /** The same sums in each currency before conversion. */
  byCurrency: { currency: string; sumAbsError: string; sumAbsClosedPayout: string }[];
}

export interface ReconciliationResult {
  period: string;
  counts: Record<MatchStatus, number>;
  accuracy: AccuracyFigures;
  byTeam: Record<string, AccuracyFigures>;
  byPlan: Record<string, AccuracyFigures>;
  /** The period-end rates that converted each currency into the reporting currency. */
  rates: ConversionRate[];
  rows: ReconciliationRow[];
  /** Every row that is not error-free: the errors behind the rates. */
  errors: ReconciliationRow[];
}

function byRef(a: PayrollRecord, b: PayrollRecord): number {
  return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : a.id < b.id ? -1 : 1;
}

/**
 * Matches a closed period's payouts with payroll records per payee and measures accuracy. Pure and deterministic.
 *
 * Per payee with a non-zero closed payout P in currency c: error-free when payroll paid it exactly once, in c,
 * exactly P, and no later correction changed it. Its error is |Σ records in c − P| + Σ |records in other
 * currencies| (P when nothing was paid); each record beyond its first is an unexpected record (in the count; its
 * money is already in the payee's error). A payee paid without a non-zero payout: each record is unexpected, its
 * error |amount|. Count rate = error-free payees / (payees with a payout + unexpected records); amount rate =
 * (1 − Σ error / Σ |P|) × 100 with every amount converted into the reporting currency at the period-end rate.
 */
export function reconcile(
  period: string,
  payouts: ClosedPayout[],
  records: PayrollRecord[],
  corrections: Correction[],
  to: ReportingConverter,
  units: MinorUnits = ISO_MINOR_UNITS,
): ReconciliationResult {
  /** An amount in its currency's minor unit. */
  const m = (amount: Decimal, currency: string) => amount.toFixed(units.of(currency));
  const recordsOf = new Map<string, PayrollRecord[]>();
  for (const r of [...records].sort(byRef)) recordsOf.set(r.repId, [...(recordsOf.get(r.repId) ?? []), r]);
  const correctionsOf = new Map<string, Correction[]>();
  for (const c of corrections) correctionsOf.set(c.repId, [...(correctionsOf.get(c.repId) ?? []), c]);

  const rows: ReconciliationRow[] = [];
  /** Σ |closed payout| of each row, for the amount rate (the payee's row only). */
  const closed = new Map<ReconciliationRow, Decimal>();
  const paidFor = new Set<string>();
  for (const p of [...payouts].sort((a, b) => (a.repId < b.repId ? -1 : 1))) {
    if (p.payout.isZero()) continue;
    paidFor.add(p.repId);
    const recs = recordsOf.get(p.repId) ?? [];
    const cs = (correctionsOf.get(p.repId) ?? []).sort((a, b) => (a.paidInPeriod + a.ref < b.paidInPeriod + b.ref ? -1 : 1));
    const inCcy = recs.filter((r) => r.currency === p.currency);
    const other = new TotalsByCurrency();
    for (const r of recs) if (r.currency !== p.currency) other.add(r.currency, r.amount.abs());
    // the record compared first: one paying exactly P in c, else the first by reference
    const first = inCcy.find((r) => r.amount.equals(p.payout)) ?? recs[0];
    const paidInCcy = inCcy.reduce((s, r) => s.plus(r.amount), ZERO);
    const reasons: string[] = [];
    let status: MatchStatus;
    let error: Decimal;
    if (!recs.length) {
      status = 'missing';
      error = p.payout.abs();
      reasons.push(`payroll paid nothing; computed ${m(p.payout, p.currency)} ${p.currency}`);
    } else {
      error = paidInCcy.minus(p.payout).abs();
      status = recs.length === 1 && inCcy.length === 1 && error.isZero() ? 'matched' : 'mismatched';
      if (recs.length > 1) reasons.push(`paid ${recs.length} times (${recs.map((r) => r.reference).join(', ')})`);
      if (inCcy.length && !error.isZero()) reasons.push(`paid ${m(paidInCcy, p.currency)}, computed ${m(p.payout, p.currency)} ${p.currency} (difference ${m(paidInCcy.minus(p.payout), p.currency)})`);
      else if (!inCcy.length) reasons.push(`nothing paid in ${p.currency}; computed ${m(p.payout, p.currency)} ${p.currency}`);
      for (const o of other.list(units)) reasons.push(`paid ${o.amount} ${o.currency}, not in ${p.currency}`);
    }
    for (const c of cs) reasons.push(`later correction ${m(c.amount, p.currency)} (${c.source} ${c.ref}, paid in ${c.paidInPeriod})`);
    const converted = other.currencies.reduce((s, ccy) => s.plus(to.convert(other.amountOf(ccy), ccy)), to.convert(error, p.currency));
    const row: ReconciliationRow = {
      repId: p.repId,
      status,
      currency: p.currency,
      computed: m(p.payout, p.currency),
      paid: recs.length ? m(paidInCcy, p.currency) : null,
      difference: inCcy.length && status !== 'matched' ? m(paidInCcy.minus(p.payout), p.currency) : null,
      reference: first?.reference ?? null,
      payrollRecordId: first?.id ?? null,
      corrections: cs.map((c) => ({ source: c.source, paidInPeriod: c.paidInPeriod, ref: c.ref, amount: m(c.amount, p.currency) })),
      errorFree: status === 'matched' && cs.length === 0,
      errorAmount: m(error, p.currency),
      otherCurrencies: other.list(units),
      errorConverted: converted.toFixed(),
      correctionAmount: m(cs.reduce((sum, c) => sum.plus(c.amount), ZERO).abs(), p.currency),
      reasons,
      team: p.team,
      plan: p.plan,
    };
    rows.push(row);
    closed.set(row, to.convert(p.payout.abs(), p.currency));
    for (const extra of recs.filter((r) => r !== first)) rows.push(unexpected(extra, `payroll paid ${p.repId} more than once (reference ${extra.reference}); the amount is in ${p.repId}'s error`, false, to, m));
  }
  for (const [repId, recs] of [...recordsOf.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (paidFor.has(repId)) continue;
    for (const r of recs) rows.push(unexpected(r, `payroll paid ${repId}, for whom no payout was computed`, true, to, m));
  }

  const counts: Record<MatchStatus, number> = { matched: 0, mismatched: 0, missing: 0, unexpected: 0 };
  for (const r of rows) counts[r.status]++;
  const measure = (subset: ReconciliationRow[]) => figures(subset, closed, to, units);
  const group = (key: (r: ReconciliationRow) => string | null) => {
    const out: Record<string, AccuracyFigures> = {};
    const keys = [...new Set(rows.map((r) => key(r) ?? '(none)'))].sort();
    for (const k of keys) out[k] = measure(rows.filter((r) => (key(r) ?? '(none)') === k));
    return out;
  };
  return {
    period,
    counts,
    accuracy: measure(rows),
    byTeam: group((r) => r.team),
    byPlan: group((r) => r.plan),
    rates: to.rates(),
    rows,
    errors: rows.filter((r) => !r.errorFree),
  };
}

function unexpected(r: PayrollRecord, reason: string, ownError: boolean, to: ReportingConverter, m: (amount: Decimal, currency: string) => string): ReconciliationRow {
  const error = ownError ? r.amount.abs() : ZERO;
  return {
    repId: r.repId,
    status: 'unexpected',
    currency: r.currency,
    computed: null,
    paid: m(r.amount, r.currency),
    difference: null,
    reference: r.reference,
    payrollRecordId: r.id,
    corrections: [],
    errorFree: false,
    errorAmount: m(error, r.currency),
    otherCurrencies: [],
    errorConverted: to.convert(error, r.currency).toFixed(),
    correctionAmount: m(ZERO, r.currency),
    reasons: [reason],
    team: r.team,
    plan: r.plan,
  };
}

/** The rates over some rows; `closed` holds each payee row's |closed payout| converted. */
export function figures(rows: ReconciliationRow[], closed: Map<ReconciliationRow, Decimal>, to: ReportingConverter, units: MinorUnits = ISO_MINOR_UNITS): AccuracyFigures {
  const places = units.of(to.currency);
  const inReporting = (amount: Decimal) => roundHalfUp(amount, places).toFixed(places);
  const total = rows.length;
  const errorFree = rows.filter((r) => r.errorFree).length;
  const sumErr = rows.reduce((s, r) => s.plus(r.errorConverted), ZERO);
  const sumPayout = rows.reduce((s, r) => s.plus(closed.get(r) ?? ZERO), ZERO);
  const sumCorrections = rows.reduce((s, r) => s.plus(to.convert(new Decimal(r.correctionAmount), r.currency)), ZERO);
  const errors = new TotalsByCurrency();
  const payouts = new TotalsByCurrency();
  for (const r of rows) {
    errors.add(r.currency, r.errorAmount);
    for (const o of r.otherCurrencies) errors.add(o.currency, o.amount);
    if (r.computed !== null) payouts.add(r.currency, new Decimal(r.computed).abs());
  }
  const currencies = [...new Set([...errors.currencies, ...payouts.currencies])].sort();
  return {
    totalPayouts: total,
    errorFreePayouts: errorFree,
    countRatePct: total === 0 ? null : new Decimal(errorFree).times(HUNDRED).dividedBy(total).toFixed(),
    reportingCurrency: to.currency,
    ratesAsOf: to.asOf,
    sumAbsError: inReporting(sumErr),
    sumAbsClosedPayout: inReporting(sumPayout),
    dollarRatePct: sumPayout.isZero() ? null : new Decimal(1).minus(sumErr.dividedBy(sumPayout)).times(HUNDRED).toFixed(),
    sumAbsCorrections: inReporting(sumCorrections),
    byCurrency: currencies.map((currency) => ({
      currency,
      sumAbsError: errors.amountOf(currency).toFixed(units.of(currency)),
      sumAbsClosedPayout: payouts.amountOf(currency).toFixed(units.of(currency)),
    })),
  };
}

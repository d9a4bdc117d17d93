import { Decimal, HUNDRED, ZERO } from '../money/decimal';

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

export interface ReconciliationRow {
  repId: string;
  status: MatchStatus;
  currency: string;
  computed: string | null;
  paid: string | null;
  /** paid − computed, when both exist in the same currency. */
  difference: string | null;
  reference: string | null;
  payrollRecordId: string | null;
  corrections: { source: Correction['source']; paidInPeriod: string; ref: string; amount: string }[];
  errorFree: boolean;
  /** |paid − computed| (the whole amount when missing, unexpected or in another currency) + |net later corrections|. */
  errorAmount: string;
  reasons: string[];
  team: string | null;
  plan: string | null;
}

export interface AccuracyFigures {
  /** Non-zero closed payouts + unexpected payroll records. */
  totalPayouts: number;
  errorFreePayouts: number;
  /** error-free / total × 100, exact; null when there is nothing to measure. */
  countRatePct: string | null;
  sumAbsError: string;
  sumAbsClosedPayout: string;
  /** (1 − Σ|error| / Σ|closed payout|) × 100, exact; null when no payout was closed. */
  dollarRatePct: string | null;
}

export interface ReconciliationResult {
  period: string;
  counts: Record<MatchStatus, number>;
  accuracy: AccuracyFigures;
  byTeam: Record<string, AccuracyFigures>;
  byPlan: Record<string, AccuracyFigures>;
  rows: ReconciliationRow[];
  /** Every row that is not error-free: the errors behind the rates. */
  errors: ReconciliationRow[];
}

function byRef(a: PayrollRecord, b: PayrollRecord): number {
  return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : a.id < b.id ? -1 : 1;
}

/**
 * Matches a closed period's payouts with payroll records per payee and measures accuracy. Pure and deterministic.
 * A payee paid by several records: the first record (by reference) that pays the exact amount is matched, or else the
 * first record is the mismatch; the others are unexpected (paid twice).
 */
export function reconcile(period: string, payouts: ClosedPayout[], records: PayrollRecord[], corrections: Correction[]): ReconciliationResult {
  const recordsOf = new Map<string, PayrollRecord[]>();
  for (const r of [...records].sort(byRef)) recordsOf.set(r.repId, [...(recordsOf.get(r.repId) ?? []), r]);
  const correctionsOf = new Map<string, Correction[]>();
  for (const c of corrections) correctionsOf.set(c.repId, [...(correctionsOf.get(c.repId) ?? []), c]);

  const rows: ReconciliationRow[] = [];
  const paidFor = new Set<string>();
  for (const p of [...payouts].sort((a, b) => (a.repId < b.repId ? -1 : 1))) {
    if (p.payout.isZero()) continue;
    paidFor.add(p.repId);
    const recs = recordsOf.get(p.repId) ?? [];
    const cs = (correctionsOf.get(p.repId) ?? []).sort((a, b) => (a.paidInPeriod + a.ref < b.paidInPeriod + b.ref ? -1 : 1));
    const netCorrection = cs.reduce((s, c) => s.plus(c.amount), ZERO);
    const exact = recs.find((r) => r.currency === p.currency && r.amount.equals(p.payout));
    const chosen = exact ?? recs[0];
    const reasons: string[] = [];
    let status: MatchStatus;
    let mismatch = ZERO;
    let difference: string | null = null;
    if (!chosen) {
      status = 'missing';
      mismatch = p.payout.abs();
      reasons.push(`payroll paid nothing; computed ${p.payout.toFixed(2)} ${p.currency}`);
    } else if (chosen === exact) {
      status = 'matched';
    } else {
      status = 'mismatched';
      if (chosen.currency !== p.currency) {
        mismatch = p.payout.abs().plus(chosen.amount.abs());
        reasons.push(`paid in ${chosen.currency}, computed in ${p.currency}`);
      } else {
        const diff = chosen.amount.minus(p.payout);
        difference = diff.toFixed(2);
        mismatch = diff.abs();
        reasons.push(`paid ${chosen.amount.toFixed(2)}, computed ${p.payout.toFixed(2)} (difference ${difference})`);
      }
    }
    for (const c of cs) reasons.push(`later correction ${c.amount.toFixed(2)} (${c.source} ${c.ref}, paid in ${c.paidInPeriod})`);
    const errorFree = status === 'matched' && cs.length === 0;
    rows.push({
      repId: p.repId,
      status,
      currency: p.currency,
      computed: p.payout.toFixed(2),
      paid: chosen ? chosen.amount.toFixed(2) : null,
      difference,
      reference: chosen?.reference ?? null,
      payrollRecordId: chosen?.id ?? null,
      corrections: cs.map((c) => ({ source: c.source, paidInPeriod: c.paidInPeriod, ref: c.ref, amount: c.amount.toFixed(2) })),
      errorFree,
      errorAmount: mismatch.plus(netCorrection.abs()).toFixed(2),
      reasons,
      team: p.team,
      plan: p.plan,
    });
    for (const extra of recs.filter((r) => r !== chosen)) rows.push(unexpected(extra, `payroll paid ${p.repId} more than once (reference ${extra.reference})`));
  }
  for (const [repId, recs] of [...recordsOf.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (paidFor.has(repId)) continue;
    for (const r of recs) rows.push(unexpected(r, `payroll paid ${repId}, for whom no payout was computed`));
  }

  const counts: Record<MatchStatus, number> = { matched: 0, mismatched: 0, missing: 0, unexpected: 0 };
  for (const r of rows) counts[r.status]++;
  const group = (key: (r: ReconciliationRow) => string | null) => {
    const out: Record<string, AccuracyFigures> = {};
    const keys = [...new Set(rows.map((r) => key(r) ?? '(none)'))].sort();
    for (const k of keys) out[k] = figures(rows.filter((r) => (key(r) ?? '(none)') === k));
    return out;
  };
  return {
    period,
    counts,
    accuracy: figures(rows),
    byTeam: group((r) => r.team),
    byPlan: group((r) => r.plan),
    rows,
    errors: rows.filter((r) => !r.errorFree),
  };
}

function unexpected(r: PayrollRecord, reason: string): ReconciliationRow {
  return {
    repId: r.repId,
    status: 'unexpected',
    currency: r.currency,
    computed: null,
    paid: r.amount.toFixed(2),
    difference: null,
    reference: r.reference,
    payrollRecordId: r.id,
    corrections: [],
    errorFree: false,
    errorAmount: r.amount.abs().toFixed(2),
    reasons: [reason],
    team: r.team,
    plan: r.plan,
  };
}

export function figures(rows: ReconciliationRow[]): AccuracyFigures {
  const total = rows.length;
  const errorFree = rows.filter((r) => r.errorFree).length;
  const sumErr = rows.reduce((s, r) => s.plus(r.errorAmount), ZERO);
  const sumPayout = rows.reduce((s, r) => (r.computed === null ? s : s.plus(new Decimal(r.computed).abs())), ZERO);
  return {
    totalPayouts: total,
    errorFreePayouts: errorFree,
    countRatePct: total === 0 ? null : new Decimal(errorFree).times(HUNDRED).dividedBy(total).toFixed(),
    sumAbsError: sumErr.toFixed(2),
    sumAbsClosedPayout: sumPayout.toFixed(2),
    dollarRatePct: sumPayout.isZero() ? null : new Decimal(1).minus(sumErr.dividedBy(sumPayout)).times(HUNDRED).toFixed(),
  };
}

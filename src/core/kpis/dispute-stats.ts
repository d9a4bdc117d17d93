import { DISPUTE_REASON_CODES, DISPUTE_STATUSES, DisputeReasonCode } from '../disputes/dispute-rules';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal, HUNDRED } from '../money/decimal';

/** One dispute as the statistics need it. Times are ISO 8601 strings or epoch milliseconds. */
export interface DisputeFact {
  reasonCode: string;
  status: string;
  raisedAt: string | number;
  /** Set exactly when the dispute is resolved (upheld or rejected). */
  resolvedAt: string | number | null;
}

export interface DisputeFigures {
  /** Disputes raised. */
  count: number;
  open: number;
  inReview: number;
  upheld: number;
  rejected: number;
  resolved: number;
  /** Statements (payees with a payout) the disputes are measured against. */
  statements: number;
  /** count / statements × 100, 2 decimals (half-up); null without statements. */
  perHundredStatements: string | null;
  /** Median of resolved_at − raised_at over resolved disputes, in hours, 2 decimals (half-up); null when none. */
  medianHoursToResolve: string | null;
  /** Nearest-rank 90th percentile of the same durations, in hours, 2 decimals; null when none. */
  p90HoursToResolve: string | null;
  /** upheld / resolved, 4 decimals (half-up); null when nothing is resolved. */
  upheldShare: string | null;
}

export interface DisputeStats extends DisputeFigures {
  /** The same figures for each reason code (every code, in the order of DISPUTE_REASON_CODES). */
  byReason: Record<DisputeReasonCode, DisputeFigures>;
}

const MS_PER_HOUR = new Decimal(3_600_000);

function epochMs(field: string, v: string | number): number {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${field} is not a time: ${JSON.stringify(v)}`);
  return ms;
}

/** The value at nearest rank ⌈q/100 × n⌉ (1-based) of an ascending list; integer arithmetic, no float rounding. */
export function nearestRank<T>(sorted: readonly T[], percent: number): T | undefined {
  if (!sorted.length) return undefined;
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** The median of an ascending list: the middle value, or the mean of the two middle values. */
export function median(sorted: readonly Decimal[]): Decimal | undefined {
  const n = sorted.length;
  if (!n) return undefined;
  return n % 2 ? sorted[(n - 1) / 2] : sorted[n / 2 - 1].plus(sorted[n / 2]).dividedBy(2);
}

const hours2 = (d: Decimal | undefined) => (d === undefined ? null : d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));

function figures(disputes: readonly DisputeFact[], statements: number): DisputeFigures {
  const by = (s: string) => disputes.filter((d) => d.status === s).length;
  const upheld = by('upheld');
  const rejected = by('rejected');
  const resolved = upheld + rejected;
  const durations = disputes
    .filter((d) => d.status === 'upheld' || d.status === 'rejected')
    .map((d) => {
      const ms = epochMs('resolvedAt', d.resolvedAt as string | number) - epochMs('raisedAt', d.raisedAt);
      if (ms < 0) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `a dispute resolved before it was raised (${JSON.stringify(d.raisedAt)} → ${JSON.stringify(d.resolvedAt)})`);
      return new Decimal(ms).dividedBy(MS_PER_HOUR);
    })
    .sort((a, b) => a.comparedTo(b));
  return {
    count: disputes.length,
    open: by('open'),
    inReview: by('in_review'),
    upheld,
    rejected,
    resolved,
    statements,
    perHundredStatements: statements === 0 ? null : new Decimal(disputes.length).times(HUNDRED).dividedBy(statements).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    medianHoursToResolve: hours2(median(durations)),
    p90HoursToResolve: hours2(nearestRank(durations, 90)),
    upheldShare: resolved === 0 ? null : new Decimal(upheld).dividedBy(resolved).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
  };
}

/**
 * Dispute KPIs over a set of disputes and the number of statements they were raised against: volume per 100
 * statements, time to resolve (median and nearest-rank p90, in hours) and the upheld share, overall and per reason.
 * Pure: no clock; durations are resolved_at − raised_at of each resolved dispute.
 */
export function computeDisputeStats(disputes: readonly DisputeFact[], statements: number): DisputeStats {
  if (!Number.isSafeInteger(statements) || statements < 0) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `statements must be a non-negative integer, got ${statements}`);
  }
  for (const d of disputes) {
    if (!(DISPUTE_REASON_CODES as readonly string[]).includes(d.reasonCode)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `unknown reason code "${d.reasonCode}"`);
    if (!(DISPUTE_STATUSES as readonly string[]).includes(d.status)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `unknown dispute status "${d.status}"`);
    const resolved = d.status === 'upheld' || d.status === 'rejected';
    if (resolved !== (d.resolvedAt !== null && d.resolvedAt !== undefined)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `a ${d.status} dispute ${resolved ? 'needs' : 'has no'} resolvedAt`);
    }
  }
  const byReason = Object.fromEntries(DISPUTE_REASON_CODES.map((code) => [code, figures(disputes.filter((d) => d.reasonCode === code), statements)])) as Record<DisputeReasonCode, DisputeFigures>;
  return { ...figures(disputes, statements), byReason };
}

import { IsoDate, Period, periodOf, previousPeriod } from '../calendar/dates';
import { Decimal, ZERO, roundHalfUp } from '../money/decimal';
import { ComponentSpec } from '../plans/plan-types';
import { AdjustmentFacts, BookingFacts, LineKind, PayoutLine } from './calculation-types';
import { Attribution, WindowEvaluation } from './components';
import { EarningTrace, LineTrace, Movement, PriorCause } from './trace';

/**
 * Payout lines of a component window: per booking reference, this period's change and a prior-period adjustment
 * when what earlier periods recorded differs from what they would earn now; then one rounding line when rounding
 * each line to cents differs from rounding the window once. Lines carry structured traces only (no words).
 */

export const ROUNDING_REF = '~rounding';

/** What earlier periods recorded for a component window: Σ rounded line amounts, Σ precise amounts per reference. */
export interface WindowRecord {
  rounded: Decimal;
  byRef: Map<string, Decimal>;
}

/** The period being calculated, as the line builder sees it. */
export interface LinePeriod {
  period: Period;
  end: IsoDate;
  prevEnd: IsoDate;
}

const EMPTY: EarningTrace = { kind: 'removed' };

export function windowLines(
  at: LinePeriod,
  key: string,
  c: ComponentSpec | null,
  now: WindowEvaluation,
  prev: WindowEvaluation | null,
  rec: WindowRecord | undefined,
  rounded: Decimal,
  /** Decimals of the payee's currency. */
  places = 2,
): PayoutLine[] {
  const out: PayoutLine[] = [];
  const refs = new Set<string>([...now.attributions.keys(), ...(prev?.attributions.keys() ?? []), ...(rec?.byRef.keys() ?? [])]);
  const kind: LineKind = c?.type === 'spiff' ? 'spiff' : c?.type === 'override' ? 'override' : 'commission';
  const component = c?.label ?? c?.id ?? key;
  let moves: WindowMoves | undefined; // what moved in the window this period: found once, for every line it moved
  for (const ref of [...refs].sort()) {
    const n = now.attributions.get(ref);
    const p = prev?.attributions.get(ref);
    const r = rec?.byRef.get(ref) ?? ZERO;
    const nowAmt = n?.amount ?? ZERO;
    const prevAmt = p?.amount ?? ZERO;
    const booking = n?.booking ?? p?.booking;
    const bookingId = n?.bookingId ?? p?.bookingId ?? (ref.startsWith('threshold:') ? null : ref.split('/')[0]);
    const priorPart = prevAmt.eq(r) ? ZERO : prevAmt.minus(r);
    const currentPart = nowAmt.eq(prevAmt) ? ZERO : nowAmt.minus(prevAmt);
    if (!priorPart.isZero()) {
      const origin = booking ? originPeriod(at, booking) : previousPeriod(at.period);
      const cause = priorCause(at, booking, prevAmt, r);
      out.push({
        kind: 'prior_period_adjustment',
        componentKey: key,
        ref,
        bookingId,
        originPeriod: origin,
        amount: roundHalfUp(priorPart, places),
        amountPrecise: priorPart,
        cause,
        trace: { ...(p ? p.trace() : n ? n.trace() : EMPTY), component, cause, recorded: r.toFixed(), recalculated: prevAmt.toFixed() },
      });
    }
    if (!currentPart.isZero()) {
      // A booking that stopped counting this period because it was cancelled (by whichever plan credited it: an
      // override follows the report's plan) is a clawback.
      // A partial or termination clawback (the attribution says when) that lowered the booking's share this period is
      // one too.
      const claw =
        (!!booking?.cancelledDate && booking.cancelledDate <= at.end && booking.cancelledDate > at.prevEnd && nowAmt.isZero() && !prevAmt.isZero()) ||
        (n?.clawedOn !== undefined && n.clawedOn <= at.end && n.clawedOn > at.prevEnd && nowAmt.lessThan(prevAmt));
      const trace: LineTrace = { ...(n ? n.trace() : p ? p.trace() : EMPTY), component, windowAmountBefore: prevAmt.toFixed(), windowAmountNow: nowAmt.toFixed() };
      if (!claw && n && p && prev) trace.movedBy = movement((moves ??= windowMoves(at, now, prev)), ref, prev, p);
      out.push({
        kind: claw ? 'clawback' : kind,
        componentKey: key,
        ref,
        bookingId,
        originPeriod: claw && booking ? periodOf(booking.bookedDate) : null,
        amount: roundHalfUp(currentPart, places),
        amountPrecise: currentPart,
        cause: claw ? 'cancellation' : null,
        trace,
      });
    }
  }
  const target = rounded.minus(rec?.rounded ?? ZERO);
  const sumRounded = out.reduce((s, l) => s.plus(l.amount), ZERO);
  const diff = target.minus(sumRounded);
  if (!diff.isZero()) {
    out.push({
      kind: 'rounding',
      componentKey: key,
      ref: ROUNDING_REF,
      bookingId: null,
      originPeriod: null,
      amount: diff,
      amountPrecise: diff,
      cause: null,
      trace: { kind: 'rounding', component, windowTotalPrecise: now.total.toFixed(), windowTotalRounded: rounded.toFixed(places), recordedBefore: (rec?.rounded ?? ZERO).toFixed(places) },
    });
  }
  return out;
}

/** Why an earlier period changed: reconciliation treats a cancellation as policy, anything else as an error. */
function priorCause(at: LinePeriod, booking: BookingFacts | undefined, prevAmt: Decimal, recorded: Decimal): PriorCause {
  if (booking?.cancelledDate && booking.cancelledDate <= at.prevEnd && prevAmt.isZero()) return 'cancellation';
  if (recorded.isZero()) return 'backdated';
  if (booking && booking.version > 1) return 'amended';
  return 'recalculation';
}

function originPeriod(at: LinePeriod, b: BookingFacts): Period {
  if (b.cancelledDate && b.cancelledDate <= at.prevEnd) return periodOf(b.cancelledDate);
  return periodOf(b.bookedDate);
}

/** The bookings of a window that cancelled, started counting, or changed amount between two evaluations, by reference. */
interface WindowMoves {
  cancelled: [string, string][];
  added: [string, string][];
  changed: [string, string][];
}

function windowMoves(at: LinePeriod, now: WindowEvaluation, prev: WindowEvaluation): WindowMoves {
  const moves: WindowMoves = { cancelled: [], added: [], changed: [] };
  for (const [ref, p] of prev.attributions) {
    const n = now.attributions.get(ref);
    const id = p.bookingId ?? ref;
    const c = p.booking?.cancelledDate;
    if ((!n || n.amount.isZero()) && !p.amount.isZero() && c && c > at.prevEnd && c <= at.end) moves.cancelled.push([ref, id]);
    else if (n && !n.amount.eq(p.amount)) moves.changed.push([ref, id]);
  }
  for (const [ref, n] of now.attributions) if (!prev.attributions.has(ref)) moves.added.push([ref, n.bookingId ?? ref]);
  return moves;
}

/**
 * A booking whose own facts did not change but whose share of the window did: the other bookings of the window that
 * moved it (cancelled, added, changed this period), and its tier or bands before.
 */
function movement(moves: WindowMoves, self: string, prev: WindowEvaluation, before: Attribution): Movement {
  const others = (list: [string, string][]) => list.filter(([ref]) => ref !== self).map(([, id]) => id);
  const was: Movement['before'] = {};
  const window = prev.summary.trace;
  if (window.kind === 'tiered' && window.measurement === 'cumulative' && window.method === 'retroactive') {
    // one tier for the whole window: the window's own summary says which
    Object.assign(was, { tier: window.tier ?? null, tierLabel: window.tierLabel ?? null, rate: window.rate ?? null });
  } else {
    const t = before.trace();
    if (t.kind === 'tiered') {
      if (t.bands !== undefined) was.bands = t.bands;
      if (t.tier !== undefined) Object.assign(was, { tier: t.tier, tierLabel: t.tierLabel, rate: t.rate });
    }
  }
  return { cancelled: others(moves.cancelled), added: others(moves.added), changed: others(moves.changed), before: was };
}

/** Manual adjustments (and upheld disputes) are paid as booked, in id order. */
export function adjustmentLines(adjustments: AdjustmentFacts[], places = 2): PayoutLine[] {
  return [...adjustments]
    .sort((p, q) => (BigInt(p.id) < BigInt(q.id) ? -1 : BigInt(p.id) > BigInt(q.id) ? 1 : 0))
    .map((a) => ({
      kind: 'adjustment',
      componentKey: null,
      ref: `adj:${a.id}`,
      bookingId: null,
      originPeriod: a.originPeriod,
      amount: roundHalfUp(a.amount, places),
      amountPrecise: a.amount,
      cause: null,
      trace: { kind: 'adjustment', adjustmentId: a.id, reasonCode: a.reasonCode, note: a.note, originPeriod: a.originPeriod, originRef: a.originRef, amount: a.amount.toFixed() },
    }));
}

export function balanceLine(kind: LineKind, amount: Decimal, trace: LineTrace): PayoutLine {
  return { kind, componentKey: null, ref: null, bookingId: null, originPeriod: null, amount, amountPrecise: amount, cause: null, trace };
}

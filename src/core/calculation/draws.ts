import { Period, daysInRange, periodEnd, periodStart } from '../calendar/dates';
import { Decimal, ZERO, max, roundHalfUp } from '../money/decimal';
import { PayoutLine, RepFacts } from './calculation-types';
import { balanceLine } from './payout-lines';
import { tenureMonth } from './quota';
import { CompiledPlan, Segment } from './shared-facts';

/**
 * Draws and the recoverable balance. Draws and negative earnings share one balance b:
 *   x = earned(m) + adjustments(m) − b(m−1);  payout = max(x, draw, 0);  b(m) = payout − x,
 * except that a non-recoverable draw adds nothing to b for the part paid because of the draw.
 */

export interface DrawInForce {
  amount: Decimal;
  kind: 'recoverable' | 'nonRecoverable';
  /** The plan's own figure, as written. */
  guaranteed: string;
  plan: string;
  tenureMonth: number;
  /** The figure comes from the draw's schedule by tenure month. */
  scheduled?: true;
  /** The plan defers recovery of the balance to this tenure month. */
  recoveryFromTenureMonth?: number;
}

/** The draw guaranteed this period: the first plan whose draw covers the payee's tenure month and hire date. */
export function drawFor(rep: RepFacts, period: Period, byPlan: Map<CompiledPlan, Segment[]>, places = 2): DrawInForce | null {
  const start = periodStart(period);
  const end = periodEnd(period);
  const month = tenureMonth(rep.hireDate, period);
  for (const [plan, segs] of byPlan) {
    const d = plan.doc.draw;
    if (!d) continue;
    if (month < d.tenureMonths.from || month > d.tenureMonths.to) continue;
    if ((d.hiredFrom && rep.hireDate < d.hiredFrom) || (d.hiredTo && rep.hireDate > d.hiredTo)) continue;
    if (!segs.some((s) => daysInRange(s.range, start, end) > 0)) continue;
    // a plan's draw is in the payee's currency: paid in its minor unit
    const guaranteed = d.schedule ? d.schedule[month - d.tenureMonths.from] : (d.amount as string);
    return {
      amount: roundHalfUp(new Decimal(guaranteed), places),
      guaranteed,
      kind: d.kind,
      plan: plan.facts.planId,
      tenureMonth: month,
      ...(d.schedule ? { scheduled: true } : {}),
      ...(d.recovery ? { recoveryFromTenureMonth: d.recovery.fromTenureMonth } : {}),
    };
  }
  return null;
}

/**
 * The tenure month from which earnings pay back the balance, when a plan the payee is on this period defers it
 * (`draw.recovery.fromTenureMonth` later than this month); null when recovery runs as usual.
 */
export function recoveryDeferredUntil(rep: RepFacts, period: Period, byPlan: Map<CompiledPlan, Segment[]>): number | null {
  const month = tenureMonth(rep.hireDate, period);
  const start = periodStart(period);
  const end = periodEnd(period);
  for (const [plan, segs] of byPlan) {
    const from = plan.doc.draw?.recovery?.fromTenureMonth;
    if (from === undefined || month >= from) continue;
    if (segs.some((s) => daysInRange(s.range, start, end) > 0)) return from;
  }
  return null;
}

export interface Settlement {
  payout: Decimal;
  balance: Decimal;
  /** balance_recovery, draw and negative_carried_forward lines, in that order. */
  lines: PayoutLine[];
}

/**
 * Settles a period: `net` = earned + adjustments, `b0` the balance owed before, `draw` the draw in force. While a
 * plan defers recovery (`deferredUntil`, a tenure month), earnings do not pay the balance back: x = net, and the
 * balance carries over, b(m) = b0 + payout − x.
 */
export function settle(net: Decimal, b0: Decimal, draw: DrawInForce | null, places = 2, deferredUntil: number | null = null): Settlement {
  const recovering = deferredUntil === null;
  const x = recovering ? net.minus(b0) : net;
  const carried = recovering ? ZERO : b0;
  const g = draw?.amount ?? ZERO;
  const payout = max(x, g, ZERO);
  const balance = carried.plus(draw?.kind === 'nonRecoverable' && g.greaterThan(max(x, ZERO)) ? max(x, ZERO).minus(x) : payout.minus(x));
  const lines: PayoutLine[] = [];
  const earnedNet = x.toFixed(places);
  if (recovering && !b0.isZero()) lines.push(balanceLine('balance_recovery', b0.negated(), { kind: 'balanceRecovery', balanceBefore: b0.toFixed(places) }));
  if (payout.greaterThan(x)) {
    if (draw && g.greaterThan(0) && payout.equals(g)) {
      const topUp = g.minus(max(x, ZERO));
      const schedule = {
        ...(draw.scheduled ? { scheduled: true as const } : {}),
        ...(draw.recoveryFromTenureMonth !== undefined ? { recoveryFromTenureMonth: draw.recoveryFromTenureMonth } : {}),
      };
      lines.push(balanceLine('draw', topUp, { kind: 'draw', plan: draw.plan, drawKind: draw.kind, guaranteed: draw.guaranteed, tenureMonth: draw.tenureMonth, earnedNet, ...schedule }));
      if (x.lessThan(0)) lines.push(balanceLine('negative_carried_forward', x.negated(), { kind: 'carriedForward', earnedNet }));
    } else {
      lines.push(balanceLine('negative_carried_forward', x.negated(), { kind: 'carriedForward', earnedNet }));
    }
  }
  return { payout, balance, lines };
}

import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal } from '../../money/decimal';
import { ComponentSpec, QuotaSpec } from '../../plans/plan-types';
import { BookingFacts, RepFacts } from '../calculation-types';
import { CreditItem, countedItem } from '../crediting';
import { baseRate, windowQuota } from '../quota';
import { Segment, SharedFacts } from '../shared-facts';
import { BaseRateTrace, QuotaTrace } from '../trace';

import type { Attribution, LazyTrace, WindowEvaluation } from './window-evaluation';

export type { Attribution, LazyTrace, WindowEvaluation };

/** What an evaluator reads besides its own spec: the shared facts, as seen from the period being calculated. */
export class EvaluationContext {
  constructor(
    readonly facts: SharedFacts,
    /** The last day of the period being calculated. */
    readonly periodEnd: IsoDate,
  ) {}

  /**
   * The payee's credit items of one plan and measure earned in the window (booked, or paid under earnOn "payment")
   * that still count as of `asOf` (a partial
   * clawback leaves a copy with the retained credit: see crediting.countedItem).
   */
  async windowItems(repId: string, segments: Segment[], measure: string, w: CalendarWindow, asOf: IsoDate): Promise<CreditItem[]> {
    const plan = segments[0].plan;
    const out: CreditItem[] = [];
    for (const i of await this.facts.creditItems(repId)) {
      if (i.segment.plan !== plan || i.measure !== measure || i.on < w.start || i.on > w.end) continue;
      const counted = this.counted(i, asOf);
      if (counted) out.push(counted);
    }
    return out;
  }

  /** A credit item as it counts as of `asOf` under its own plan's clawback policy and its payee's termination. */
  counted(i: CreditItem, asOf: IsoDate): CreditItem | null {
    // the termination that can claw a booking back is that of the rep it is credited to
    return countedItem(i, asOf, this.facts.reps.get(i.memberId)?.terminationDate ?? null, (owner, key, build) => this.facts.cache.variant(owner, key, build));
  }

  /** The window's quota (the same in every period: memoised per payee, plan version, window and allocation). */
  windowQuota(rep: RepFacts, segments: Segment[], w: CalendarWindow, spec: QuotaSpec): { quota: Decimal; trace: QuotaTrace } {
    const key = `${rep.repId}|${segments[0].plan.facts.hash}|${w.key}|${spec.allocation}|${spec.ramp}`;
    return this.facts.cache.quota(key, () => windowQuota(rep, segments, w, spec));
  }

  baseRate(segments: Segment[], w: CalendarWindow): { rate: Decimal; trace: BaseRateTrace } {
    return baseRate(segments, w, this.periodEnd);
  }
}

/**
 * One component type of the plan format. `evaluate` computes a component window for a payee on the facts effective
 * at `asOf`: its total, each booking's attribution with a lazy trace, and the window's summary. A new component type
 * is one file implementing this plus one entry in `components/index.ts`.
 */
export interface ComponentEvaluator<S extends ComponentSpec = ComponentSpec> {
  evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], spec: S, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation>;
}

/**
 * Adds a booking's attribution (merging several of one booking, e.g. under two measures, with both traces).
 * Attributions are never mutated once made (evaluators share them between evaluations): a merge makes a new one.
 */
export function addAttribution(map: Map<string, Attribution>, ref: string, amount: Decimal, trace: LazyTrace, booking: BookingFacts, clawedOn?: IsoDate): void {
  const existing = map.get(ref);
  if (existing) {
    const m = merged(existing, amount, trace);
    // the latest take-back of the booking is the one a line of this period can be about
    if (clawedOn !== undefined && (m.clawedOn === undefined || clawedOn > m.clawedOn)) m.clawedOn = clawedOn;
    map.set(ref, m);
  } else map.set(ref, attribution(amount, trace, booking, clawedOn));
}

/** A booking's attribution; its trace states the booking's share of the window. */
export function attribution(amount: Decimal, trace: LazyTrace, booking: BookingFacts, clawedOn?: IsoDate): Attribution {
  const a: Attribution = { amount, trace: () => ({ ...trace(), share: amount.toFixed() }), bookingId: booking.bookingId, booking };
  if (clawedOn !== undefined) a.clawedOn = clawedOn;
  return a;
}

function merged(existing: Attribution, amount: Decimal, trace: LazyTrace): Attribution {
  const before = existing.trace;
  return {
    ...existing,
    amount: existing.amount.plus(amount),
    trace: () => {
      const t = before();
      return { ...t, parts: [...(t.parts ?? [t]), trace()] };
    },
  };
}

/** A payout cap scales every booking's share down in proportion (into new attributions: the old may be shared). */
export function capped(e: WindowEvaluation, payoutCap: string | undefined): WindowEvaluation {
  if (payoutCap === undefined) return e;
  const cap = new Decimal(payoutCap);
  if (!e.total.greaterThan(cap)) {
    e.summary.trace.payoutCapHit = false;
    return e;
  }
  const factor = cap.dividedBy(e.total);
  const attributions = new Map<string, Attribution>();
  for (const [ref, a] of e.attributions) {
    const before = a.trace;
    const uncapped = a.amount;
    attributions.set(ref, { ...a, amount: a.amount.times(factor), trace: () => ({ ...before(), uncapped: uncapped.toFixed(), payoutCapHit: true, capFactor: factor.toFixed() }) });
  }
  e.summary.trace.payoutCapHit = true;
  e.summary.trace.uncapped = e.total.toFixed();
  return { ...e, attributions, total: cap };
}

export function str(d: Decimal | null): string | null {
  return d === null ? null : d.toFixed();
}

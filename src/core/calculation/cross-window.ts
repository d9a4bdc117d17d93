import { CalendarWindow, IsoDate, inclusiveDays, windowContaining } from '../calendar/dates';
import { Decimal, ZERO } from '../money/decimal';
import { WindowCondition } from '../plans/plan-types';
import { RepFacts } from './calculation-types';
import type { Attribution, EvaluationContext, WindowEvaluation } from './components/component-evaluator';
import { Segment } from './shared-facts';
import { boundary } from './tiers';
import { ConditionTrace } from './trace';

/**
 * Cross-window conditions: a component that looks at another window's attainment. The other window is the one of
 * the condition's kind that contains the component window's end; its credit counts the bookings booked up to the
 * component window's end or the day calculated, whichever is earlier (so a closed quarter keeps the figure it had at
 * its end), against that window's full quota. `onPace` compares with the quota × elapsed days / days in the window.
 */
export interface ConditionResult {
  attainment: Decimal | null;
  met: boolean;
  trace: ConditionTrace;
}

export async function evaluateCondition(
  ctx: EvaluationContext,
  rep: RepFacts,
  segments: Segment[],
  cond: WindowCondition,
  w: CalendarWindow,
  asOf: IsoDate,
): Promise<ConditionResult> {
  const upTo = asOf < w.end ? asOf : w.end;
  const other = windowContaining(cond.window, w.end);
  const measure = cond.measure ?? segments[0].plan.doc.quotaMeasure;
  const items = (await ctx.windowItems(rep.repId, segments, measure, other, asOf)).filter((i) => i.on <= upTo);
  const credit = items.reduce((s, i) => s.plus(i.credit), ZERO);
  const quota = ctx.windowQuota(rep, segments, other, cond.quota).quota;
  const attainment = quota.isZero() ? null : credit.dividedBy(quota);
  const trace: ConditionTrace = { window: other.key, measure, credit: credit.toFixed(), quota: quota.toFixed(), attainment: attainment === null ? null : attainment.toFixed() };
  let met = true;
  if (cond.minAttainment !== undefined) {
    const needed = boundary(quota.times(cond.minAttainment));
    met = quota.greaterThan(0) && credit.greaterThanOrEqualTo(needed);
    Object.assign(trace, { minAttainment: cond.minAttainment, needed: needed.toFixed() });
  }
  if (cond.onPace) {
    const pace = new Decimal(inclusiveDays(other.start, upTo < other.end ? upTo : other.end)).dividedBy(inclusiveDays(other.start, other.end));
    const needed = boundary(quota.times(pace));
    met = met && quota.greaterThan(0) && credit.greaterThanOrEqualTo(needed);
    Object.assign(trace, { pace: pace.toFixed(), needed: trace.needed !== undefined && new Decimal(trace.needed).greaterThan(needed) ? trace.needed : needed.toFixed() });
  }
  trace.met = met;
  return { attainment, met, trace };
}

/** A component gated by another window: when the condition is not met, every booking's share is zero. */
export function gated(e: WindowEvaluation, r: ConditionResult): WindowEvaluation {
  const attributions = new Map<string, Attribution>();
  for (const [ref, a] of e.attributions) {
    const before = a.trace;
    attributions.set(ref, { ...a, amount: r.met ? a.amount : ZERO, trace: () => ({ ...before(), requires: r.trace }) });
  }
  return { total: r.met ? e.total : ZERO, attributions, summary: { ...e.summary, trace: { ...e.summary.trace, requires: r.trace } } };
}

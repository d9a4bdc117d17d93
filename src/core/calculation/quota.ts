import {
  CalendarWindow,
  DateRange,
  IsoDate,
  Period,
  daysInRange,
  inclusiveDays,
  intersect,
  monthsBetween,
  periodEnd,
  periodOf,
  periodStart,
  periodsBetween,
} from '../calendar/dates';
import { Decimal, ONE, ZERO } from '../money/decimal';
import { PlanDocument, QuotaSpec } from '../plans/plan-types';
import { RepFacts } from './calculation-types';
import { Segment } from './segment';
import { BaseRateTrace, QuotaStep, QuotaTrace, TargetTrace } from './trace';

/**
 * Quotas: the ramp by tenure month, proration by active days, a component window's quota, and the base rate V/Q.
 * The KPI service computes ramped quotas with these same functions.
 */

/** Tenure month 1 is the calendar month of the hire date. */
export function tenureMonth(hireDate: IsoDate, p: Period): number {
  return monthsBetween(periodOf(hireDate), p) + 1;
}

/** The ramp factor of a tenure month: the listed fraction, else `thereafter`; 1 without a ramp. */
export function rampFactor(hireDate: IsoDate, plan: PlanDocument, p: Period): { factor: Decimal; tenureMonth: number } {
  const month = tenureMonth(hireDate, p);
  const ramp = plan.ramp;
  if (!ramp || month < 1) return { factor: ONE, tenureMonth: month };
  const listed = ramp.byTenureMonth[month - 1];
  return { factor: new Decimal(listed ?? ramp.thereafter), tenureMonth: month };
}

const TWELFTH = ONE.dividedBy(12);

/**
 * The share of the annual quota that falls in a calendar month: 1/12, or the plan's seasonal weight (a quarter's
 * weight is split evenly over its three months). `weight` is set only when the plan is seasonal, so the traces of
 * plans without seasonality stay as they were.
 */
export function monthShare(plan: PlanDocument, p: Period): { share: Decimal; weight?: string } {
  const s = plan.seasonality;
  if (!s) return { share: TWELFTH };
  const month = Number(p.slice(5, 7));
  const share = 'byMonth' in s ? new Decimal(s.byMonth[month - 1]) : new Decimal(s.byQuarter[Math.floor((month - 1) / 3)]).dividedBy(3);
  return { share, weight: share.toFixed() };
}

/**
 * One month's quota under the `monthly` allocation: Q × share(month) × ramp × active days / days in month (Q / 12 for a
 * plan without seasonality). The one place this arithmetic lives: the window quota and the KPIs' ramp-adjusted
 * capacity both call it. Without a plan document (an assignment to a plan not loaded), no ramp and Q / 12.
 */
export function monthQuota(
  annualQuota: Decimal,
  doc: PlanDocument | undefined,
  hireDate: IsoDate,
  p: Period,
  activeDays: number,
  ramp = true,
): { quota: Decimal; factor: Decimal; tenureMonth: number; weight?: string } {
  const { factor, tenureMonth: month } = doc && ramp ? rampFactor(hireDate, doc, p) : { factor: ONE, tenureMonth: tenureMonth(hireDate, p) };
  const { share, weight } = doc ? monthShare(doc, p) : { share: ONE, weight: undefined };
  const yearly = weight === undefined ? annualQuota.dividedBy(12) : annualQuota.times(share);
  const quota = yearly.times(factor).times(activeDays).dividedBy(inclusiveDays(periodStart(p), periodEnd(p)));
  return { quota, factor, tenureMonth: month, ...(weight === undefined ? {} : { weight }) };
}

/**
 * A window's quota from the segments of one plan version, with its month-by-month trace.
 * - `monthly` allocation: Σ months Q × share(month) × ramp × active days / days in month;
 * - `window` allocation: Q × Σ share(window's months) × active days / days in window.
 * share(month) is 1/12 unless the plan is seasonal (see monthShare). Without seasonality the arithmetic is the
 * original Q/12 and Q × months/12, so existing plans keep their results to the last digit.
 */
export function windowQuota(rep: RepFacts, segments: Segment[], w: CalendarWindow, spec: QuotaSpec): { quota: Decimal; trace: QuotaTrace } {
  const doc = segments[0].plan.doc;
  const clip = intersect({ from: w.start, to: w.end }, { from: doc.effectiveFrom, to: doc.effectiveTo }) as DateRange;
  let quota = ZERO;
  const steps: QuotaStep[] = [];
  if (spec.allocation === 'monthly') {
    for (const p of periodsBetween(clip.from, clip.to as IsoDate)) {
      const dim = inclusiveDays(periodStart(p), periodEnd(p));
      for (const s of segments) {
        const active = daysInRange(s.range, periodStart(p), periodEnd(p));
        if (active === 0) continue;
        const { quota: q, factor, tenureMonth: month, weight } = monthQuota(s.assignment.annualQuota, doc, rep.hireDate, p, active, spec.ramp);
        quota = quota.plus(q);
        steps.push({
          month: p,
          tenureMonth: month,
          ramp: factor.toFixed(),
          ...(weight === undefined ? {} : { weight }),
          activeDays: active,
          daysInMonth: dim,
          annualQuota: s.assignment.annualQuota.toFixed(),
          quota: q.toFixed(),
        });
      }
    }
  } else {
    const months = monthsBetween(periodOf(w.start), periodOf(w.end)) + 1;
    const days = inclusiveDays(w.start, w.end);
    const weight = doc.seasonality ? periodsBetween(w.start, w.end).reduce((sum, p) => sum.plus(monthShare(doc, p).share), ZERO) : null;
    for (const s of segments) {
      const active = daysInRange(s.range, clip.from, clip.to as IsoDate);
      if (active === 0) continue;
      const share = weight === null ? s.assignment.annualQuota.times(months).dividedBy(12) : s.assignment.annualQuota.times(weight);
      const q = share.times(active).dividedBy(days);
      quota = quota.plus(q);
      steps.push({
        window: w.key,
        months,
        ...(weight === null ? {} : { weight: weight.toFixed() }),
        activeDays: active,
        daysInWindow: days,
        annualQuota: s.assignment.annualQuota.toFixed(),
        quota: q.toFixed(),
      });
    }
  }
  return { quota, trace: { allocation: spec.allocation, ramp: spec.ramp, steps } };
}

/**
 * A window's target variable: Σ segments V × window months / 12 × active days / days in window (prorated by
 * employment and assignment, clipped to the plan's dates; never ramped or seasonal: pay at target is even).
 */
export function windowTarget(segments: Segment[], w: CalendarWindow): { target: Decimal; trace: TargetTrace } {
  const doc = segments[0].plan.doc;
  const clip = intersect({ from: w.start, to: w.end }, { from: doc.effectiveFrom, to: doc.effectiveTo }) as DateRange;
  const months = monthsBetween(periodOf(w.start), periodOf(w.end)) + 1;
  const days = inclusiveDays(w.start, w.end);
  let target = ZERO;
  const steps: TargetTrace['steps'] = [];
  for (const s of segments) {
    const active = daysInRange(s.range, clip.from, clip.to as IsoDate);
    if (active === 0) continue;
    const t = s.assignment.targetVariable.times(months).dividedBy(12).times(active).dividedBy(days);
    target = target.plus(t);
    steps.push({ targetVariable: s.assignment.targetVariable.toFixed(), months, activeDays: active, daysInWindow: days, target: t.toFixed() });
  }
  return { target, trace: { steps } };
}

/** The segment whose assignment is in force at the window's end (or the period's end, if earlier). */
export function baseSegmentIndex(segments: Segment[], w: CalendarWindow, periodEndDate: IsoDate): number {
  const at = w.end < periodEndDate ? w.end : periodEndDate;
  return segments.filter((s) => s.range.from <= at).length;
}

/** Base rate V/Q of the assignment in force at the window's (or period's) end. */
export function baseRate(segments: Segment[], w: CalendarWindow, periodEndDate: IsoDate): { rate: Decimal; trace: BaseRateTrace } {
  const n = baseSegmentIndex(segments, w, periodEndDate);
  const s = n ? segments[n - 1] : segments[0];
  const q = s.assignment.annualQuota;
  const v = s.assignment.targetVariable;
  const rate = q.isZero() ? ZERO : v.dividedBy(q);
  return { rate, trace: { targetVariable: v.toFixed(), annualQuota: q.toFixed(), baseRate: rate.toFixed() } };
}

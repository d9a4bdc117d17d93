import { IsoDate, addDays, daysBetween, daysInMonth } from '../calendar/dates';
import { Decimal, HUNDRED, ONE, ZERO } from '../money/decimal';
import { ClawbackSpec, PlanDocument } from '../plans/plan-types';
import { BookingFacts } from './calculation-types';
import type { ClawbackTrace } from './trace';

/**
 * Clawback policies: when a booking stops counting in full or in part, and holdbacks.
 *
 * A clawback reverses a fraction of a booking's credit from the day it is triggered, so every component that reads
 * the credit (tiers, curves, flat rates, SPIFs, overrides) pays back in proportion, and the true-up turns the change
 * into a `clawback` line. The fraction is
 *   percent / 100 × (unserved months / term when `prorate` is "unservedTerm"),
 * where the percent comes from `schedule` (by days since booking), else `percent` inside `windowDays` (100 by
 * default). A cancellation triggers it on its date; with `onTermination`, so does the payee's termination within
 * `withinDays` of the booking. A plan with only `windowDays` claws back 100% of a booking cancelled within the window,
 * as it always has.
 *
 * Because only credit is reversed, a booking's clawback is never larger than what its lines paid: the lines of a
 * booking never go below zero, and with a holdback the part still held is simply not released.
 */
export interface Clawback {
  on: IsoDate;
  reason: 'cancellation' | 'termination';
  /** Days from booking to the trigger. */
  days: number;
  /** The policy's percentage for those days (before proration). */
  percent: Decimal;
  /** With prorate "unservedTerm": whole months of the term served by the trigger day, and the term. */
  served?: number;
  term?: number;
  /** The fraction of the credit that still counts (1 − clawed-back fraction), in [0, 1]. */
  retained: Decimal;
}

/** The last day a cancellation still claws back: `windowDays`, or the schedule's longest entry. */
export function clawbackWindowDays(spec: ClawbackSpec): number | null {
  if (spec.schedule?.length) return Math.max(...spec.schedule.map((s) => s.withinDays));
  return spec.windowDays ?? null;
}

/** Whole months from `from` to `to` (a month is served on the same day of a later month, or its last day). */
export function wholeMonthsBetween(from: IsoDate, to: IsoDate): number {
  const [y1, m1, d1] = [Number(from.slice(0, 4)), Number(from.slice(5, 7)), Number(from.slice(8, 10))];
  const [y2, m2, d2] = [Number(to.slice(0, 4)), Number(to.slice(5, 7)), Number(to.slice(8, 10))];
  let months = (y2 - y1) * 12 + (m2 - m1);
  if (d2 < d1 && d2 < daysInMonth(y2, m2)) months--;
  return Math.max(0, months);
}

/** The percentage a policy claws back for a cancellation `days` after booking, or null when none. */
function cancellationPercent(spec: ClawbackSpec, days: number): Decimal | null {
  if (spec.schedule?.length) {
    const entry = [...spec.schedule].sort((a, b) => a.withinDays - b.withinDays).find((s) => days <= s.withinDays);
    return entry ? new Decimal(entry.percent) : null;
  }
  if (spec.windowDays === undefined || days > spec.windowDays) return null;
  return spec.percent !== undefined ? new Decimal(spec.percent) : HUNDRED;
}

function clawback(spec: ClawbackSpec, b: BookingFacts, on: IsoDate, reason: Clawback['reason'], percent: Decimal): Clawback {
  let fraction = percent.dividedBy(HUNDRED);
  const out: Omit<Clawback, 'retained'> = { on, reason, days: daysBetween(b.bookedDate, on), percent };
  if (spec.prorate === 'unservedTerm') {
    const served = Math.min(wholeMonthsBetween(b.bookedDate, on), b.termMonths);
    fraction = fraction.times(b.termMonths - served).dividedBy(b.termMonths);
    Object.assign(out, { served, term: b.termMonths });
  }
  const retained = ONE.minus(fraction);
  return { ...out, retained: retained.isNegative() ? ZERO : retained };
}

/**
 * The clawback a plan applies to a booking as of `asOf`, or null when the booking counts in full (also before the
 * trigger day, and for a plan without a clawback policy). `terminationDate` is the credited payee's.
 */
export function clawbackOf(b: BookingFacts, plan: PlanDocument, asOf: IsoDate, terminationDate: IsoDate | null): Clawback | null {
  const spec = plan.clawback;
  if (!spec) return null;
  if (b.cancelledDate && b.cancelledDate <= asOf) {
    const percent = cancellationPercent(spec, daysBetween(b.bookedDate, b.cancelledDate));
    if (percent) return clawback(spec, b, b.cancelledDate, 'cancellation', percent);
  }
  const t = spec.onTermination;
  if (t && terminationDate && terminationDate <= asOf && terminationDate >= b.bookedDate && daysBetween(b.bookedDate, terminationDate) <= t.withinDays) {
    if (!b.cancelledDate || b.cancelledDate > terminationDate) return clawback(spec, b, terminationDate, 'termination', new Decimal(t.percent ?? '100'));
  }
  return null;
}

/** The day a booking's holdback is released: the day after the clawback window closes. */
export function holdbackReleaseDay(spec: ClawbackSpec, b: BookingFacts): IsoDate {
  return addDays(b.bookedDate, (clawbackWindowDays(spec) ?? 0) + 1);
}

export function clawbackTrace(c: Clawback): ClawbackTrace {
  return {
    reason: c.reason,
    on: c.on,
    days: c.days,
    percent: c.percent.toFixed(),
    ...(c.served !== undefined ? { servedMonths: c.served, termMonths: c.term } : {}),
    retained: c.retained.toFixed(),
  };
}

import { CalendarWindow, IsoDate } from '../calendar/dates';
import type { WindowEvaluation } from './components/window-evaluation';
import type { Decimal } from '../money/decimal';
import type { QuotaTrace } from './trace';

/**
 * What one calculation remembers between payees and periods, so that a component window is evaluated once per set
 * of counting bookings and a quota once per window:
 * - evaluations by payee, window key, effective as-of date and base-rate segment;
 * - which of those are of windows still open on their as-of date (forgotten once no later period can ask for them);
 * - prior records known to be in line with an evaluation (by identity: a record gets a new object when lines are
 *   added to it), so an unchanged window emits nothing without being compared line by line;
 * - window quotas, and each payee's cancellation days.
 */
export class EvaluationCache {
  private readonly evaluations = new Map<string, Promise<WindowEvaluation>>();
  private readonly openEvaluations = new Map<IsoDate, string[]>();
  private readonly inSync = new WeakMap<object, WindowEvaluation>();
  private readonly quotas = new Map<string, { quota: Decimal; trace: QuotaTrace }>();
  private readonly cancellations = new Map<string, IsoDate[]>();
  private readonly memos = new WeakMap<object, WeakMap<object, unknown>>();
  private readonly latests = new Map<string, unknown>();
  private readonly variants = new WeakMap<object, Map<string, object>>();

  /**
   * A window's evaluation depends on the as-of date only through which bookings count: once the window has ended,
   * only a cancellation can change that. So the as-of date moves back to the window's end or the last cancellation
   * day before it, and the evaluation is shared by every period (and previous-period comparison) that sees the
   * same bookings.
   */
  static effectiveAsOf(w: CalendarWindow, asOf: IsoDate, lastCancellation: IsoDate | null): IsoDate {
    if (asOf <= w.end) return asOf;
    return lastCancellation !== null && lastCancellation > w.end ? lastCancellation : w.end;
  }

  evaluation(key: string, w: CalendarWindow, effective: IsoDate, compute: () => Promise<WindowEvaluation>): Promise<WindowEvaluation> {
    let e = this.evaluations.get(key);
    if (!e) {
      e = compute();
      this.evaluations.set(key, e);
      if (effective < w.end) {
        const open = this.openEvaluations.get(effective) ?? [];
        open.push(key);
        this.openEvaluations.set(effective, open);
      }
    }
    return e;
  }

  /** Forgets open-window evaluations as of days before `day` (a period only reads its own end and the previous one). */
  forgetOpenBefore(day: IsoDate): void {
    for (const [asOf, keys] of this.openEvaluations) {
      if (asOf >= day) continue;
      for (const k of keys) this.evaluations.delete(k);
      this.openEvaluations.delete(asOf);
    }
  }

  isInSync(record: object, e: WindowEvaluation): boolean {
    return this.inSync.get(record) === e;
  }

  markInSync(record: object, e: WindowEvaluation): void {
    this.inSync.set(record, e);
  }

  quota(key: string, compute: () => { quota: Decimal; trace: QuotaTrace }): { quota: Decimal; trace: QuotaTrace } {
    let q = this.quotas.get(key);
    if (!q) this.quotas.set(key, (q = compute()));
    return q;
  }

  /**
   * A value derived from one object (a credit item) under one scope that holds everything else it depends on (the
   * component spec, and with it its rate), built once per calculation. Evaluators use it for what a booking contributes whatever else the window holds (a flat
   * rate's or an override's share), so re-evaluating an open window every month only adds the new bookings' work.
   * Memoised values are shared between evaluations and never mutated.
   */
  memo<T>(owner: object, scope: object, build: () => T): T {
    let byScope = this.memos.get(owner);
    if (!byScope) this.memos.set(owner, (byScope = new WeakMap()));
    if (byScope.has(scope)) return byScope.get(scope) as T;
    const value = build();
    byScope.set(scope, value);
    return value;
  }

  /** A variant of one object under a string key (e.g. a credit item after a partial clawback), made once. */
  variant<T extends object>(owner: object, key: string, build: () => T): T {
    let byKey = this.variants.get(owner);
    if (!byKey) this.variants.set(owner, (byKey = new Map()));
    let v = byKey.get(key) as T | undefined;
    if (!v) byKey.set(key, (v = build()));
    return v;
  }

  /** The latest state an evaluator left under `key` (e.g. a window's running totals by booking), if any. */
  latest<T>(key: string): T | undefined {
    return this.latests.get(key) as T | undefined;
  }

  setLatest(key: string, value: unknown): void {
    this.latests.set(key, value);
  }

  cancellationDays(repId: string, compute: () => IsoDate[]): IsoDate[] {
    let days = this.cancellations.get(repId);
    if (!days) this.cancellations.set(repId, (days = compute()));
    return days;
  }
}

/** The latest of sorted `days` on or before `day`, or null. */
export function lastOnOrBefore(days: IsoDate[], day: IsoDate): IsoDate | null {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : days[lo - 1];
}

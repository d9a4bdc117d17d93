import { daysBetween, IsoDate } from '../calendar/dates';
import { WindowSummary } from '../calculation/calculation-types';
import { Decimal, HUNDRED, ZERO } from '../money/decimal';
import { CurveComponentSpec, PlanDocument, TieredComponentSpec } from '../plans/plan-types';
import { quotaTierComponent } from './build-statement';

/**
 * Where a payee stands in a measurement window, for the dashboard: attainment against the window's quota, the pace a
 * straight line through the window would be at on `asOf`, the tier reached and the credit still needed for the next
 * one. Pure: the stored (or estimated) window summary and the plan in, decimal strings out.
 */
export interface WindowStanding {
  component: string;
  window: string;
  windowStart: IsoDate;
  windowEnd: IsoDate;
  currency: string;
  /** The window's quota to date (ramped, prorated), a decimal string; null where the window has none. */
  quota: string | null;
  credit: string;
  /** Attainment in percent (2 decimals, half-up), null without a quota. */
  attainmentPct: string | null;
  /** Where a steady pace would be on `asOf`: the share of the window's days elapsed, in percent. */
  pacePct: string;
  /** The tier (or curve point) reached, by its label. */
  tier: { label: string; rate: string } | null;
  /** The next tier: where it starts (attainment %, and in credit) and the credit still needed to reach it. */
  next: { label: string; fromPct: string; atCredit: string; needed: string } | null;
}

const pct2 = (d: Decimal) => d.times(HUNDRED).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

/** The standing in the quota window containing `asOf` of the plan's quota component (null: the plan has none). */
export function windowStanding(doc: PlanDocument, windows: WindowSummary[], asOf: IsoDate, currency: string, minor: number): WindowStanding | null {
  const comp = quotaTierComponent(doc);
  if (!comp) return null;
  const w = windows.find((x) => x.componentId === comp.id && x.windowStart <= asOf && x.windowEnd >= asOf) ?? windows.filter((x) => x.componentId === comp.id).pop();
  if (!w) return null;
  const quota = w.quota === null ? null : new Decimal(w.quota);
  const credit = new Decimal(w.credit);
  const attainment = quota !== null && quota.greaterThan(0) ? credit.dividedBy(quota) : null;
  const total = daysBetween(w.windowStart, w.windowEnd) + 1;
  const elapsed = Math.min(Math.max(daysBetween(w.windowStart, asOf) + 1, 0), total);
  const steps = stepsOf(comp);
  let tier: WindowStanding['tier'] = null;
  let next: WindowStanding['next'] = null;
  if (attainment !== null && quota !== null) {
    for (const s of steps) if (attainment.greaterThanOrEqualTo(s.from)) tier = { label: s.label, rate: s.rate };
    const up = steps.find((s) => new Decimal(s.from).greaterThan(attainment));
    if (up) {
      const at = quota.times(up.from);
      next = { label: up.label, fromPct: pct2(new Decimal(up.from)), atCredit: at.toFixed(minor), needed: Decimal.max(at.minus(credit), ZERO).toDecimalPlaces(minor, Decimal.ROUND_UP).toFixed(minor) };
    }
  }
  return {
    component: comp.label ?? comp.id,
    window: w.window,
    windowStart: w.windowStart,
    windowEnd: w.windowEnd,
    currency,
    quota: quota === null ? null : quota.toFixed(minor),
    credit: credit.toFixed(minor),
    attainmentPct: attainment === null ? null : pct2(attainment),
    pacePct: pct2(new Decimal(elapsed).dividedBy(total)),
    tier,
    next,
  };
}

/** Tiers (or curve points) as steps: where each starts (attainment as a fraction), its label and rate in words. */
function stepsOf(comp: TieredComponentSpec | CurveComponentSpec): { from: string; label: string; rate: string }[] {
  if (comp.type === 'curve') {
    return comp.points.map((p, i) => ({ from: p.attainment, label: p.label ?? `point ${i + 1}`, rate: p.payoutPct !== undefined ? `${p.payoutPct}% of target` : `${p.amount}` }));
  }
  return comp.tiers.map((t, i) => ({
    from: t.from,
    label: t.label ?? `tier ${i + 1}`,
    rate: comp.rateUnit === 'baseRate' ? `${t.rate} × base rate` : `${new Decimal(t.rate).times(HUNDRED).toFixed()}%`,
  }));
}

/** Earnings against target: year to date, the annual target variable and the part of it the payee's months cover. */
export interface EarningsStanding {
  earnedToDate: string;
  targetVariable: string;
  /** The target variable for the months of the year the assignment covers (a mid-year hire earns against less). */
  proratedTargetVariable: string;
  /** On-target earnings: base salary + target variable (annual). */
  ote: string;
  /** earned to date / prorated target variable, in percent. */
  pctOfTarget: string | null;
}

/** Months of `year` from `start` to `end` (inclusive, by whole days) over the year's days, times the annual target. */
export function earningsStanding(earnedToDate: Decimal, tv: Decimal, baseSalary: Decimal, year: string, start: IsoDate, end: IsoDate | null, minor: number): EarningsStanding {
  const yStart = `${year}-01-01`;
  const yEnd = `${year}-12-31`;
  const from = start > yStart ? start : yStart;
  const to = end && end < yEnd ? end : yEnd;
  const days = Math.max(daysBetween(from, to) + 1, 0);
  const prorated = tv.times(days).dividedBy(daysBetween(yStart, yEnd) + 1);
  return {
    earnedToDate: earnedToDate.toFixed(minor),
    targetVariable: tv.toFixed(minor),
    proratedTargetVariable: prorated.toDecimalPlaces(minor, Decimal.ROUND_HALF_UP).toFixed(minor),
    ote: baseSalary.plus(tv).toFixed(minor),
    pctOfTarget: prorated.greaterThan(0) ? pct2(earnedToDate.dividedBy(prorated)) : null,
  };
}

/**
 * A team's attainment: Σ credit / Σ quota of the members' quota windows, per currency (never added across
 * currencies), in currency order. Members without a quota window are left out.
 */
export function teamAttainment(
  members: { currency: string; standing: WindowStanding | null }[],
  minorOf: (currency: string) => number,
): { currency: string; quota: string; credit: string; attainmentPct: string | null }[] {
  const byCurrency = new Map<string, { quota: Decimal; credit: Decimal }>();
  for (const m of members) {
    if (!m.standing || m.standing.quota === null) continue;
    const t = byCurrency.get(m.currency) ?? { quota: ZERO, credit: ZERO };
    byCurrency.set(m.currency, { quota: t.quota.plus(m.standing.quota), credit: t.credit.plus(m.standing.credit) });
  }
  return [...byCurrency]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, t]) => ({
      currency,
      quota: t.quota.toFixed(minorOf(currency)),
      credit: t.credit.toFixed(minorOf(currency)),
      attainmentPct: t.quota.greaterThan(0) ? pct2(t.credit.dividedBy(t.quota)) : null,
    }));
}

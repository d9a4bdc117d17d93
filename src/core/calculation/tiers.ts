import { Decimal, ONE, ZERO } from '../money/decimal';
import { TierSpec } from '../plans/plan-types';
import type { BandPortion } from './trace';

/** A tier table resolved to amounts: bounds are tier fractions × scale (the quota), rates already × unit rate. */
export interface ResolvedTier {
  index: number;
  label: string;
  from: Decimal;
  to: Decimal | null;
  rate: Decimal;
  rateTo: Decimal;
}

export type { BandPortion };

/**
 * Tier bounds are quota × fraction, and a prorated quota is not always a terminating decimal (100,000 × 75/90). At
 * 40 significant digits the product can land a hair below or above the exact bound, so bounds are rounded to 30
 * decimal places: far finer than any credit (amount 6 dp × split 6 dp × FX 12 dp), coarse enough to absorb the
 * division error. A credit of exactly 50% therefore meets a 50% gate.
 */
export function boundary(value: Decimal): Decimal {
  return value.toDecimalPlaces(30, Decimal.ROUND_HALF_UP);
}

export function resolveTiers(tiers: TierSpec[], scale: Decimal, unitRate: Decimal, linear: boolean): ResolvedTier[] {
  return tiers.map((t, index) => {
    const rate = new Decimal(t.rate).times(unitRate);
    return {
      index,
      label: t.label ?? `tier ${index + 1}`,
      from: boundary(new Decimal(t.from).times(scale)),
      to: t.to === null ? null : boundary(new Decimal(t.to).times(scale)),
      rate,
      rateTo: linear && t.rateTo !== undefined ? new Decimal(t.rateTo).times(unitRate) : rate,
    };
  });
}

/** Rate at position y inside tier t (stepped: constant; linear: interpolated from `rate` at from to `rateTo` at to). */
function rateAt(t: ResolvedTier, y: Decimal): Decimal {
  if (t.to === null || t.rate.equals(t.rateTo)) return t.rate;
  return t.rate.plus(t.rateTo.minus(t.rate).times(y.minus(t.from)).dividedBy(t.to.minus(t.from)));
}

/**
 * Marginal (graduated) commission on cumulative credit y: the integral of the rate from 0 to min(y, cap).
 * Each tier pays its own rate on the part of y inside it. Negative y earns nothing.
 */
export function marginal(tiers: ResolvedTier[], y: Decimal, cap: Decimal | null): { amount: Decimal; bands: BandPortion[] } {
  const top = cap !== null && y.greaterThan(cap) ? cap : y;
  const bands: BandPortion[] = [];
  let amount = ZERO;
  if (top.lessThanOrEqualTo(0)) return { amount, bands };
  for (const t of tiers) {
    if (top.lessThanOrEqualTo(t.from)) break;
    const hi = t.to === null || top.lessThan(t.to) ? top : t.to;
    const portion = hi.minus(t.from);
    // exact for stepped and linear rates: mean of the rate at both ends × width
    const a = portion.times(rateAt(t, t.from).plus(rateAt(t, hi))).dividedBy(2);
    amount = amount.plus(a);
    bands.push({
      tier: t.index + 1,
      label: t.label,
      from: t.from.toFixed(),
      to: t.to === null ? null : t.to.toFixed(),
      portion: portion.toFixed(),
      rate: t.rate.toFixed(),
      ...(t.rate.equals(t.rateTo) ? {} : { rateTo: t.rateTo.toFixed() }),
      amount: a.toFixed(),
    });
  }
  return { amount, bands };
}

/** The amount `marginal` computes, without its explanation (same arithmetic, so the same value to the last digit). */
export function marginalAmount(tiers: ResolvedTier[], y: Decimal, cap: Decimal | null): Decimal {
  const top = cap !== null && y.greaterThan(cap) ? cap : y;
  let amount = ZERO;
  if (top.lessThanOrEqualTo(0)) return amount;
  for (const t of tiers) {
    if (top.lessThanOrEqualTo(t.from)) break;
    const hi = t.to === null || top.lessThan(t.to) ? top : t.to;
    amount = amount.plus(hi.minus(t.from).times(rateAt(t, t.from).plus(rateAt(t, hi))).dividedBy(2));
  }
  return amount;
}

/** The portions of the band table that the credit between `lo` and `hi` falls into (for a booking's trace). */
export function bandsBetween(tiers: ResolvedTier[], lo: Decimal, hi: Decimal, cap: Decimal | null): { amount: Decimal; bands: BandPortion[] } {
  const upper = marginal(tiers, hi, cap);
  const lower = marginal(tiers, lo, cap);
  const byTier = new Map(lower.bands.map((b) => [b.tier, b]));
  const bands: BandPortion[] = [];
  for (const b of upper.bands) {
    const l = byTier.get(b.tier);
    const portion = new Decimal(b.portion).minus(l ? l.portion : 0);
    const amount = new Decimal(b.amount).minus(l ? l.amount : 0);
    if (!portion.isZero()) bands.push({ ...b, portion: portion.toFixed(), amount: amount.toFixed() });
  }
  for (const l of lower.bands) {
    // credit moved down (negative booking): the band loses what lower had above upper
    if (!upper.bands.some((b) => b.tier === l.tier)) {
      bands.push({ ...l, portion: new Decimal(l.portion).negated().toFixed(), amount: new Decimal(l.amount).negated().toFixed() });
    }
  }
  return { amount: upper.amount.minus(lower.amount), bands };
}

/** Retroactive tiers: the tier that y reaches sets one rate for everything. */
export function reachedTier(tiers: ResolvedTier[], y: Decimal): { tier: ResolvedTier; rate: Decimal } | null {
  let found: ResolvedTier | null = null;
  for (const t of tiers) {
    if (y.greaterThanOrEqualTo(t.from)) found = t;
    else break;
  }
  if (!found) return null;
  if (found.to !== null && y.greaterThanOrEqualTo(found.to)) {
    // beyond the last bounded tier: it keeps the rate reached at its top
    return { tier: found, rate: found.rateTo };
  }
  return { tier: found, rate: rateAt(found, y) };
}

export { ONE };

import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, ONE, ZERO } from '../../money/decimal';
import { TieredComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { creditTrace, clawedOn } from '../crediting';
import { Segment } from '../shared-facts';
import { bandsBetween, boundary, marginal, marginalAmount, reachedTier, resolveTiers } from '../tiers';
import { TieredTrace, WindowTrace } from '../trace';
import { CreditItem } from '../crediting';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, addAttribution, attribution, capped, str } from './component-evaluator';

/**
 * Tiered commission on a measure's credit in the window: marginal (each band's rate on the part inside it) or
 * retroactive (the reached tier's rate on everything), on cumulative window credit or per deal, with gate,
 * attainment cap and payout cap. Bounds are fractions of the window quota (attainment) or amounts; rates multiply
 * the base rate V/Q or are absolute.
 */
export const tieredEvaluator: ComponentEvaluator<TieredComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: TieredComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = await ctx.windowItems(rep.repId, segments, c.measure, w, asOf);
    const credit = items.reduce((s, i) => s.plus(i.credit), ZERO);
    const quota = c.quota ? ctx.windowQuota(rep, segments, w, c.quota) : null;
    const unit = c.rateUnit === 'baseRate' ? ctx.baseRate(segments, w) : { rate: ONE, trace: { rateUnit: 'absolute' as const } };
    const scale = c.tierBasis === 'attainment' ? (quota?.quota ?? ZERO) : ONE;
    const attainment = quota && !quota.quota.isZero() ? credit.dividedBy(quota.quota) : null;
    const summaryTrace: WindowTrace = {
      kind: 'tiered',
      method: c.method,
      measurement: c.measurement,
      tierBasis: c.tierBasis,
      quota: quota?.trace ?? null,
      rateUnit: unit.trace,
      gate: c.gate ?? null,
      attainmentCap: c.attainmentCap ?? null,
      payoutCap: c.payoutCap ?? null,
    };
    const summary = { quota: quota?.quota ?? null, credit, attainment, trace: summaryTrace };
    const attributions = new Map<string, Attribution>();
    const head = { kind: 'tiered', method: c.method, measurement: c.measurement } as const;
    if (c.tierBasis === 'attainment' && scale.lessThanOrEqualTo(0)) {
      summaryTrace.noQuota = true;
      for (const i of items) addAttribution(attributions, i.booking.bookingId, ZERO, () => ({ ...head, ...creditTrace(i), noQuota: true }), i.booking, clawedOn(i));
      return { total: ZERO, attributions, summary };
    }
    const tiers = resolveTiers(c.tiers, scale, unit.rate, c.interpolation === 'linear');
    const cap = c.attainmentCap !== undefined ? boundary(new Decimal(c.attainmentCap).times(scale)) : null;
    const gate = c.gate !== undefined ? boundary(new Decimal(c.gate).times(scale)) : null;
    let total = ZERO;

    if (c.measurement === 'perDeal') {
      for (const i of items) {
        const y = i.credit;
        let amount = ZERO;
        let detail: Partial<TieredTrace>;
        if (gate && y.lessThan(gate)) detail = { gateMet: false };
        else if (c.method === 'marginal') {
          const m = marginal(tiers, y, cap);
          amount = m.amount;
          detail = { bands: m.bands, capHit: cap !== null && y.greaterThan(cap) };
        } else {
          const counted = cap !== null && y.greaterThan(cap) ? cap : y;
          const reached = reachedTier(tiers, counted);
          amount = reached && counted.greaterThan(0) ? counted.times(reached.rate) : ZERO;
          detail = { tier: reached ? reached.tier.index + 1 : null, tierLabel: reached?.tier.label ?? null, rate: str(reached?.rate ?? null), capHit: cap !== null && y.greaterThan(cap) };
        }
        total = total.plus(amount);
        addAttribution(attributions, i.booking.bookingId, amount, () => ({ ...head, ...creditTrace(i), ...detail }), i.booking, clawedOn(i));
      }
      return capped({ total, attributions, summary }, c.payoutCap);
    }

    // With a lookup measure (e.g. the team's total), the tier comes from its credit and the rate pays the own credit.
    const lookup = c.lookupMeasure ? (await ctx.windowItems(rep.repId, segments, c.lookupMeasure, w, asOf)).reduce((s, i) => s.plus(i.credit), ZERO) : null;
    if (lookup !== null) Object.assign(summaryTrace, { lookupMeasure: c.lookupMeasure, lookupCredit: lookup.toFixed() });
    const basis = lookup ?? credit;
    const gateMet = !gate || basis.greaterThanOrEqualTo(gate);
    summaryTrace.gateMet = gateMet;
    if (c.method === 'marginal') {
      const whole = marginal(tiers, credit, cap);
      total = gateMet ? whole.amount : ZERO;
      summaryTrace.bands = whole.bands;
      summaryTrace.capHit = cap !== null && credit.greaterThan(cap);
      // Bookings fill the bands in booked order, so each booking's share is the commission its credit added. The
      // shares of a window's first bookings stay the same while nothing before them changes: an open window
      // evaluated again a month later reuses them (same tiers and gate) and computes only from the first change.
      const prefixKey = `marginal|${rep.repId}|${segments[0].plan.facts.hash}|${c.id}|${w.key}|${scale.toFixed()}|${unit.rate.toFixed()}|${gateMet}`;
      const last = ctx.facts.cache.latest<MarginalPrefix>(prefixKey);
      let start = 0;
      while (last && start < items.length && start < last.items.length && items[start] === last.items[start]) start++;
      const prefix: MarginalPrefix = { items, positions: last ? last.positions.slice(0, start) : [], belows: last ? last.belows.slice(0, start) : [], shares: last ? last.shares.slice(0, start) : [] };
      for (let j = 0; j < start; j++) attributions.set(items[j].booking.bookingId, prefix.shares[j]);
      let position = start ? prefix.positions[start - 1] : ZERO;
      let below = start ? prefix.belows[start - 1] : ZERO; // marginal amount at `position`
      let reusable = true;
      for (let j = start; j < items.length; j++) {
        const i = items[j];
        const next = position.plus(i.credit);
        const upTo = marginalAmount(tiers, next, cap);
        const before = position;
        const trace = () => ({
          ...head,
          ...creditTrace(i),
          positionBefore: before.toFixed(),
          positionAfter: next.toFixed(),
          bands: bandsBetween(tiers, before, next, cap).bands,
          capHit: cap !== null && next.greaterThan(cap),
          gateMet,
        });
        const amount = gateMet ? upTo.minus(below) : ZERO;
        if (attributions.has(i.booking.bookingId)) {
          reusable = false; // one booking twice: merged shares are not one booking's own
          addAttribution(attributions, i.booking.bookingId, amount, trace, i.booking, clawedOn(i));
        } else {
          const own = attribution(amount, trace, i.booking, clawedOn(i));
          attributions.set(i.booking.bookingId, own);
          prefix.shares.push(own);
        }
        prefix.positions.push(next);
        prefix.belows.push(upTo);
        position = next;
        below = upTo;
      }
      if (reusable) ctx.facts.cache.setLatest(prefixKey, prefix);
    } else {
      const counted = cap !== null && basis.greaterThan(cap) ? cap : basis;
      const reached = gateMet && counted.greaterThan(0) ? reachedTier(tiers, counted) : null;
      const rate = reached?.rate ?? ZERO;
      // own credit beyond the attainment cap counts for nothing; with a lookup the cap only bounds the tier's position
      const factor = lookup !== null ? (credit.greaterThan(0) ? ONE : ZERO) : credit.isZero() ? ZERO : counted.dividedBy(credit);
      total = lookup !== null ? (credit.greaterThan(0) ? credit.times(rate) : ZERO) : counted.greaterThan(0) ? counted.times(rate) : ZERO;
      const tier = reached ? reached.tier.index + 1 : null;
      const tierLabel = reached?.tier.label ?? null;
      summaryTrace.tier = tier;
      summaryTrace.tierLabel = tierLabel;
      summaryTrace.rate = rate.toFixed();
      summaryTrace.capHit = cap !== null && basis.greaterThan(cap);
      for (const i of items) {
        const amount = total.isZero() ? ZERO : i.credit.times(factor).times(rate);
        addAttribution(
          attributions,
          i.booking.bookingId,
          amount,
          () => ({
            ...head,
            ...creditTrace(i),
            tier,
            tierLabel,
            rate: rate.toFixed(),
            gateMet,
            windowAttainment: str(attainment),
            ...(lookup !== null ? { lookupMeasure: c.lookupMeasure, lookupCredit: lookup.toFixed() } : {}),
          }),
          i.booking,
          clawedOn(i),
        );
      }
    }
    return capped({ total, attributions, summary }, c.payoutCap);
  },
};

/** The running state of a cumulative marginal window after each of its bookings, for the next evaluation to reuse. */
interface MarginalPrefix {
  items: CreditItem[];
  positions: Decimal[];
  belows: Decimal[];
  shares: Attribution[];
}

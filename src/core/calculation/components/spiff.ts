import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, HUNDRED, ZERO } from '../../money/decimal';
import { PerDealSpiffSpec, ThresholdSpiffSpec } from '../../plans/plan-types';
import { RuleEvaluator } from '../../rules/rule-evaluator';
import { RepFacts } from '../calculation-types';
import { clawedOn, creditTrace, ruleFactsOf } from '../crediting';
import { boundary } from '../tiers';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, addAttribution, str } from './component-evaluator';

/**
 * SPIFs. `perDeal`: `amount` per qualifying booking (× split when `splitAdjusted`) booked in [from, to] and matching
 * the conditions; only bookings some crediting rule credited are seen. `threshold`: `amount` once per window when the
 * window's attainment (credit of bookings booked in [from, to]) reaches `attainment`.
 */
export const spiffEvaluator: ComponentEvaluator<PerDealSpiffSpec | ThresholdSpiffSpec> = {
  evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: PerDealSpiffSpec | ThresholdSpiffSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    return c.mode === 'perDeal' ? perDeal(ctx, rep, segments, c, w, asOf) : threshold(ctx, rep, segments, c, w, asOf);
  },
};

async function perDeal(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: PerDealSpiffSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
  const plan = segments[0].plan;
  const evaluator = plan.spiffs.get(c.id) as RuleEvaluator;
  const amount = new Decimal(c.amount);
  const attributions = new Map<string, Attribution>();
  let total = ZERO;
  const seen = new Set<string>();
  for (const i of await ctx.facts.creditItems(rep.repId)) {
    const b = i.booking;
    if (i.segment.plan !== plan || i.memberId !== rep.repId || seen.has(b.bookingId)) continue; // own bookings only
    seen.add(b.bookingId);
    if (b.bookedDate < w.start || b.bookedDate > w.end || b.bookedDate < c.from || b.bookedDate > c.to) continue;
    const counted = ctx.counted(i, asOf);
    if (!counted) continue;
    const [verdict] = await evaluator.evaluate(ruleFactsOf(i));
    if (!verdict.passed) continue;
    const full = c.splitAdjusted ? amount.times(i.splitPct).dividedBy(HUNDRED) : amount;
    // a partial clawback keeps the retained share of the SPIF, as it keeps that share of the credit
    const pay = counted.clawback ? full.times(counted.clawback.retained) : full;
    total = total.plus(pay);
    addAttribution(
      attributions,
      b.bookingId,
      pay,
      () => ({ kind: 'spiff', ...creditTrace(counted), spiff: c.id, spiffAmount: amount.toFixed(), splitAdjusted: c.splitAdjusted, conditions: verdict.conditions }),
      b,
      clawedOn(counted),
    );
  }
  return { total, attributions, summary: { quota: null, credit: ZERO, attainment: null, trace: { kind: 'spiff', spiff: c.id, from: c.from, to: c.to } } };
}

async function threshold(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: ThresholdSpiffSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
  const items = (await ctx.windowItems(rep.repId, segments, c.measure, w, asOf)).filter((i) => i.on >= c.from && i.on <= c.to);
  const credit = items.reduce((s, i) => s.plus(i.credit), ZERO);
  const quota = ctx.windowQuota(rep, segments, w, c.quota);
  const attainment = quota.quota.isZero() ? null : credit.dividedBy(quota.quota);
  const reached = !quota.quota.isZero() && credit.greaterThanOrEqualTo(boundary(quota.quota.times(c.attainment)));
  const total = reached ? new Decimal(c.amount) : ZERO;
  const attributions = new Map<string, Attribution>();
  if (reached) {
    attributions.set(`threshold:${c.id}`, {
      amount: total,
      bookingId: null,
      trace: () => ({ kind: 'thresholdSpiff', spiff: c.id, threshold: c.attainment, attainment: str(attainment), credit: credit.toFixed(), quota: quota.quota.toFixed() }),
    });
  }
  return { total, attributions, summary: { quota: quota.quota, credit, attainment, trace: { kind: 'thresholdSpiff', threshold: c.attainment, reached, quota: quota.trace } } };
}

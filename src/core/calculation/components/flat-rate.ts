import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, ZERO } from '../../money/decimal';
import { FlatRateComponentSpec } from '../../plans/plan-types';
import { RuleEvaluator } from '../../rules/rule-evaluator';
import { RepFacts } from '../calculation-types';
import { CreditItem, creditTrace, ruleFactsOf, clawedOn } from '../crediting';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, addAttribution, attribution, capped } from './component-evaluator';

/**
 * `rate` × the window's credit of a measure, with an optional payout cap. With rate overrides (`rates`), each
 * booking pays the rate of the matching override of highest priority (ties by id), or `rate` when none matches.
 */
export const flatRateEvaluator: ComponentEvaluator<FlatRateComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: FlatRateComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = await ctx.windowItems(rep.repId, segments, c.measure, w, asOf);
    const rate = new Decimal(c.rate);
    const overrides = segments[0].plan.rateRules.get(c.id);
    const attributions = new Map<string, Attribution>();
    let credit = ZERO;
    let total = ZERO;
    for (const i of items) {
      credit = credit.plus(i.credit);
      const own = overrides ? await overridden(ctx, i, c, overrides, rate) : ctx.facts.cache.memo(i, c, () => share(i, rate, null));
      total = total.plus(own.amount);
      if (attributions.has(i.booking.bookingId)) addAttribution(attributions, i.booking.bookingId, own.amount, own.trace, i.booking, clawedOn(i));
      else attributions.set(i.booking.bookingId, own);
    }
    // without overrides the window total stays credit × rate, as it always was (to the last digit)
    const windowTotal = overrides ? total : credit.times(rate);
    return capped({ total: windowTotal, attributions, summary: { quota: null, credit, attainment: null, trace: { kind: 'flatRate', rate: rate.toFixed() } } }, c.payoutCap);
  },
};

/** A booking's share at a rate: depends on nothing but itself and the rate, so made once whatever month asks. */
function share(i: CreditItem, rate: Decimal, rateRule: string | null): Attribution {
  return attribution(i.credit.times(rate), () => ({ kind: 'flatRate', ...creditTrace(i), rate: rate.toFixed(), ...(rateRule ? { rateRule } : {}) }), i.booking, clawedOn(i));
}

async function overridden(ctx: EvaluationContext, i: CreditItem, c: FlatRateComponentSpec, rules: RuleEvaluator, fallback: Decimal): Promise<Attribution> {
  const hit = (await rules.evaluate(ruleFactsOf(i))).find((v) => v.passed);
  const spec = hit ? (c.rates ?? []).find((r) => r.id === hit.id) : undefined;
  return ctx.facts.cache.memo(i, c, () => (spec ? share(i, new Decimal(spec.rate), spec.id) : share(i, fallback, null)));
}

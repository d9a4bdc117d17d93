import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, ZERO } from '../../money/decimal';
import { FlatRateComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { creditTrace } from '../crediting';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, addAttribution, attribution, capped } from './component-evaluator';

/** `rate` × the window's credit of a measure, with an optional payout cap. */
export const flatRateEvaluator: ComponentEvaluator<FlatRateComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: FlatRateComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = await ctx.windowItems(rep.repId, segments, c.measure, w, asOf);
    const rate = new Decimal(c.rate);
    const attributions = new Map<string, Attribution>();
    let credit = ZERO;
    for (const i of items) {
      credit = credit.plus(i.credit);
      // a booking's share depends on nothing but itself and the rate: made once, whatever month asks
      const own = ctx.facts.cache.memo(i, c, () => attribution(i.credit.times(rate), () => ({ kind: 'flatRate', ...creditTrace(i), rate: rate.toFixed() }), i.booking, i.clawback?.on));
      if (attributions.has(i.booking.bookingId)) addAttribution(attributions, i.booking.bookingId, own.amount, () => ({ kind: 'flatRate', ...creditTrace(i), rate: rate.toFixed() }), i.booking, i.clawback?.on);
      else attributions.set(i.booking.bookingId, own);
    }
    return capped({ total: credit.times(rate), attributions, summary: { quota: null, credit, attainment: null, trace: { kind: 'flatRate', rate: rate.toFixed() } } }, c.payoutCap);
  },
};

import { CalendarWindow, IsoDate, rangeContains } from '../../calendar/dates';
import { Decimal, ZERO } from '../../money/decimal';
import { ActivityComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, capped } from './component-evaluator';

/**
 * Activity pay: `amount` × quantity for each of the payee's events of the component's kind (activities.csv) dated
 * in the window, up to the day calculated, on a day the payee was on the plan. One line per event.
 */
export const activityEvaluator: ComponentEvaluator<ActivityComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: ActivityComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const per = new Decimal(c.amount);
    const attributions = new Map<string, Attribution>();
    let total = ZERO;
    let units = ZERO;
    for (const a of ctx.facts.activitiesOf.get(rep.repId) ?? []) {
      if (a.kind !== c.kind || a.date < w.start || a.date > w.end || a.date > asOf) continue;
      if (!segments.some((s) => rangeContains(s.range, a.date))) continue;
      const amount = per.times(a.quantity);
      total = total.plus(amount);
      units = units.plus(a.quantity);
      attributions.set(`activity:${a.activityId}`, {
        amount,
        bookingId: null,
        trace: () => ({ kind: 'activity', activityId: a.activityId, activityKind: a.kind, date: a.date, quantity: a.quantity.toFixed(), amountPer: per.toFixed(), share: amount.toFixed() }),
      });
    }
    return capped({ total, attributions, summary: { quota: null, credit: units, attainment: null, trace: { kind: 'activity', rate: per.toFixed() } } }, c.payoutCap);
  },
};

import { CalendarWindow, IsoDate, rangeContains } from '../../calendar/dates';
import { Decimal, ZERO } from '../../money/decimal';
import { OverrideComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { creditTrace } from '../crediting';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation } from './component-evaluator';

/**
 * A manager's override: `rate` × the quota credit of their direct reports, as each report's own plan credits it,
 * converted from the booking currency into the manager's currency at the booked date. Counts only bookings booked
 * on a day both were active; a cancellation follows the report's plan.
 */
export const overrideEvaluator: ComponentEvaluator<OverrideComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: OverrideComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const rate = new Decimal(c.rate);
    const attributions = new Map<string, Attribution>();
    let credit = ZERO;
    for (const report of ctx.facts.reportsOf.get(rep.repId) ?? []) {
      for (const i of await ctx.facts.creditItems(report.repId)) {
        const b = i.booking;
        if (i.measure !== i.segment.plan.doc.quotaMeasure) continue;
        if (b.bookedDate < w.start || b.bookedDate > w.end) continue;
        if (!segments.some((s) => rangeContains(s.range, b.bookedDate))) continue; // manager active that day too
        const counted = ctx.counted(i, asOf); // the report's plan says what a cancellation claws back
        if (!counted) continue;
        // the report's booking in the manager's currency at the override rate: made once, whatever month asks (a
        // report has one manager, so the item and the spec name it)
        const own = ctx.facts.cache.memo(counted, c, () => {
          const fx = ctx.facts.fx.rateOrThrow(b.currency, rep.currency, b.bookedDate);
          const teamCredit = counted.creditBookingCcy.times(fx.rate);
          const a: Attribution = {
            amount: teamCredit.times(rate),
            bookingId: b.bookingId,
            booking: b,
            ...(counted.clawback ? { clawedOn: counted.clawback.on } : {}),
            trace: () => ({
              kind: 'override',
              ...creditTrace(counted),
              report: report.repId,
              reportPlan: i.segment.plan.facts.planId,
              fxRate: fx.rate.toFixed(),
              fxDate: fx.date,
              credit: teamCredit.toFixed(),
              overrideRate: rate.toFixed(),
            }),
          };
          return { teamCredit, a };
        });
        credit = credit.plus(own.teamCredit);
        attributions.set(`${b.bookingId}/${report.repId}`, own.a);
      }
    }
    return { total: credit.times(rate), attributions, summary: { quota: null, credit, attainment: null, trace: { kind: 'override', rate: rate.toFixed(), source: c.source } } };
  },
};

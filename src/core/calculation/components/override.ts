import { CalendarWindow, IsoDate, rangeContains } from '../../calendar/dates';
import { Decimal, ZERO } from '../../money/decimal';
import { OverrideComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { clawedOn, creditTrace } from '../crediting';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation } from './component-evaluator';

/**
 * A manager's override: `rate` × the quota credit of their direct reports (or their whole reporting tree), as each report's own plan credits it,
 * converted from the booking currency into the manager's currency at the booked date. Counts only bookings booked
 * on a day both were active; a cancellation follows the report's plan.
 */
export const overrideEvaluator: ComponentEvaluator<OverrideComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: OverrideComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const rate = new Decimal(c.rate);
    const attributions = new Map<string, Attribution>();
    let credit = ZERO;
    for (const reportId of ctx.facts.membersOf(rep.repId, c.source)) {
      const report = ctx.facts.reps.get(reportId) as RepFacts;
      for (const i of await ctx.facts.creditItems(report.repId)) {
        const b = i.booking;
        if (i.memberId !== i.repId || i.measure !== i.segment.plan.doc.quotaMeasure) continue; // the report's own credit
        if (i.on < w.start || i.on > w.end) continue;
        if (!segments.some((s) => rangeContains(s.range, b.bookedDate))) continue; // manager active that day too
        const counted = ctx.counted(i, asOf); // the report's plan says what a cancellation claws back
        if (!counted) continue;
        // the report's booking in the manager's currency at the override rate: made once per manager and component,
        // whatever month asks (over a reporting tree, several managers read one item)
        const own = ctx.facts.cache.variant(counted, `override|${rep.repId}|${segments[0].plan.facts.hash}|${c.id}`, () => {
          const fx = ctx.facts.fx.rateOrThrow(b.currency, rep.currency, b.bookedDate);
          const teamCredit = counted.creditBookingCcy.times(fx.rate);
          const a: Attribution = {
            amount: teamCredit.times(rate),
            bookingId: b.bookingId,
            booking: b,
            ...(clawedOn(counted) ? { clawedOn: clawedOn(counted) } : {}),
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
        // several items of one booking (payments earned in the window): one line, both traces
        const ref = `${b.bookingId}/${report.repId}`;
        const seen = attributions.get(ref);
        attributions.set(ref, seen ? { ...seen, amount: seen.amount.plus(own.a.amount), trace: () => ({ ...seen.trace(), parts: [seen.trace(), own.a.trace()] }) } : own.a);
      }
    }
    return { total: credit.times(rate), attributions, summary: { quota: null, credit, attainment: null, trace: { kind: 'override', rate: rate.toFixed(), source: c.source } } };
  },
};
